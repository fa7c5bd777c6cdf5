#!/usr/bin/env python3
"""A deterministic synthetic VCC account for benchmarks.

generate.py OUT_DIR --users N --credentials M [--seed S] [--apply-creates K]
            [--spread-owners O] [--user-recipient R]

Writes OUT_DIR/manifests/*.yaml (about 20 files) and OUT_DIR/state.json, and prints the
admin to plan as. Licence mix: about 5% admins, 25% supervisors, the rest agents and
wallboards. Credentials belong to admins and supervisors, with scopes their licence may
hold. The manifests differ from the state by about 4% creates, 2% renames (pinned by
client ID) and 1% deletions (ensure: absent).

With --apply-creates K, the actor (the first admin) also gets K new credentials of its
own in the manifests: K creates that apply may make, for timing apply against plan.
With --spread-owners O, the K creates are spread round-robin over O admins and
supervisors instead, each with an age recipient of its own (`recipients:`, a
deterministic key nobody holds), so apply seals one file per credential; it then prints
the O owners, comma-separated (for VCC_CREDS_AS), instead of the actor.
--user-recipient R gives every admin and supervisor the recipient R instead.
"""
import argparse, hashlib, json, os, random, uuid

BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def bech32_polymod(values):
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1ffffff) << 5 ^ value
        for bit, generator in enumerate([0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]):
            checksum ^= generator if (top >> bit) & 1 else 0
    return checksum


def age_recipient(key):
    """`age1...` for 32 bytes, as age-keygen writes a recipient (Bech32, BIP 173)."""
    bits, value, data = 0, 0, []
    for byte in key:
        value, bits = (value << 8) | byte, bits + 8
        while bits >= 5:
            bits -= 5
            data.append((value >> bits) & 31)
    if bits:
        data.append((value << (5 - bits)) & 31)
    hrp = [ord(c) >> 5 for c in "age"] + [0] + [ord(c) & 31 for c in "age"]
    polymod = bech32_polymod(hrp + data + [0] * 6) ^ 1
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return "age1" + "".join(BECH32[d] for d in data + checksum)

ALL = ["agents-availability:read", "globalpci", "interaction-content:delete", "interaction-content:read",
       "interactions:write", "stats", "users:read", "users:write"]
SUPERVISOR = ["interaction-content:read", "users:read"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--credentials", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--apply-creates", type=int, default=0)
    parser.add_argument("--spread-owners", type=int, default=0)
    parser.add_argument("--user-recipient")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    def uid():
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    users = []
    for index in range(args.users):
        roll = rng.random()
        license = "admin" if roll < 0.05 else "supervisor" if roll < 0.30 else "agent" if roll < 0.65 else "wallboard"
        users.append({"id": f"user{index:06d}@big.example", "name": f"User {index}", "license": license})
    users[0]["license"] = "admin"
    actor = users[0]["id"]
    holders = [user for user in users if user["license"] in ("admin", "supervisor")]

    state_credentials, manifest_credentials = [], []
    for index in range(args.credentials):
        owner = rng.choice(holders)
        allowed = ALL if owner["license"] == "admin" else SUPERVISOR
        scopes = sorted(rng.sample(allowed, rng.randint(1, min(3, len(allowed)))))
        account_level = owner["license"] == "admin" and rng.random() < 0.001
        name = f"integration-{index:06d}"
        client_id = uid()
        roll = rng.random()
        entry = {"name": name, "scopes": scopes}
        if account_level:
            entry.update(level="account", clientId=client_id)
        else:
            entry["owner"] = owner["id"]
        if roll < 0.04:                       # create: only in the manifests
            if account_level:
                continue
            manifest_credentials.append(entry)
            continue
        record = {"clientId": client_id, "name": name, "level": "account" if account_level else "user",
                  "scopes": scopes, "secretSha256": hashlib.sha256(client_id.encode()).hexdigest(),
                  "createdAt": "2026-01-01T00:00:00Z", "createdBy": owner["id"], "updatedAt": "2026-01-01T00:00:00Z"}
        if not account_level:
            record["owner"] = owner["id"]
        state_credentials.append(record)
        if roll < 0.06:                       # rename, pinned by client ID
            entry["name"] = name + "-renamed"
            entry["clientId"] = client_id
        elif roll < 0.07:                     # deletion
            entry = {"name": name, "ensure": "absent", **({"level": "account", "clientId": client_id}
                                                          if account_level else {"owner": owner["id"]})}
        manifest_credentials.append(entry)
    owners = [actor]
    if args.spread_owners:
        if len(holders) < args.spread_owners:
            parser.error(f"only {len(holders)} admins and supervisors for --spread-owners {args.spread_owners}: add --users")
        owners = [user["id"] for user in holders[:args.spread_owners]]
        for user in holders[:args.spread_owners]:
            user["recipients"] = [age_recipient(bytes(rng.getrandbits(8) for _ in range(32)))]
    if args.user_recipient:
        for user in holders:
            user["recipients"] = [args.user_recipient]
    licenses = {user["id"]: user["license"] for user in users}
    for index in range(args.apply_creates):
        owner = owners[index % len(owners)]
        scopes = ["stats", "users:read"] if licenses[owner] == "admin" else ["users:read"]
        manifest_credentials.append({"name": f"new-{index:06d}", "owner": owner, "scopes": scopes})

    os.makedirs(os.path.join(args.out, "manifests"), exist_ok=True)
    state = {"formatVersion": 1, "lineage": uid(), "serial": 1,
             "account": {"id": "big", "apiCredentialsEnabled": True},
             "users": sorted(({k: v for k, v in u.items() if k != "recipients"} for u in users), key=lambda u: u["id"]),
             "credentials": sorted(state_credentials, key=lambda c: c["clientId"])}
    with open(os.path.join(args.out, "state.json"), "w") as file:
        json.dump(state, file, indent=2, sort_keys=True)
        file.write("\n")

    def write(name, lines):
        with open(os.path.join(args.out, "manifests", name), "w") as file:
            file.write("\n".join(lines) + "\n")

    write("account.yaml", ["account: big", "settings:", "  maxDeletes: 1000000",
                           "  recipients: [age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p]"])
    half = (len(users) + 1) // 2
    for part, chunk in enumerate([users[:half], users[half:]]):
        lines = ["users:"]
        for user in chunk:
            lines += [f"  - id: {user['id']}", f"    name: {user['name']}", f"    license: {user['license']}"]
            if "recipients" in user:
                lines.append(f"    recipients: [{', '.join(user['recipients'])}]")
        write(f"users-{part}.yaml", lines)
    files = 18
    for part in range(files):
        lines = ["credentials:"]
        for entry in manifest_credentials[part::files]:
            first = True
            for key in ("name", "owner", "level", "clientId", "ensure", "scopes"):
                if key not in entry:
                    continue
                value = "[" + ", ".join(entry[key]) + "]" if key == "scopes" else entry[key]
                lines.append(f"  {'- ' if first else '  '}{key}: {value}")
                first = False
        write(f"credentials-{part:02d}.yaml", lines)
    print(",".join(owners) if args.spread_owners else actor)


if __name__ == "__main__":
    main()

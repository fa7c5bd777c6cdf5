#!/usr/bin/env python3
"""A deterministic synthetic VCC account for benchmarks.

generate.py OUT_DIR --users N --credentials M [--seed S] [--apply-creates K]

Writes OUT_DIR/manifests/*.yaml (about 20 files) and OUT_DIR/state.json, and prints the
admin to plan as. Licence mix: about 5% admins, 25% supervisors, the rest agents and
wallboards. Credentials belong to admins and supervisors, with scopes their licence may
hold. The manifests differ from the state by about 4% creates, 2% renames (pinned by
client ID) and 1% deletions (ensure: absent).

With --apply-creates K, the actor (the first admin) also gets K new credentials of its
own in the manifests: K creates that apply may make, for timing apply against plan.
"""
import argparse, hashlib, json, os, random, uuid

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
    for index in range(args.apply_creates):
        manifest_credentials.append({"name": f"new-{index:06d}", "owner": actor, "scopes": ["stats", "users:read"]})

    os.makedirs(os.path.join(args.out, "manifests"), exist_ok=True)
    state = {"formatVersion": 1, "lineage": uid(), "serial": 1,
             "account": {"id": "big", "apiCredentialsEnabled": True},
             "users": sorted(users, key=lambda u: u["id"]),
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
    print(actor)


if __name__ == "__main__":
    main()

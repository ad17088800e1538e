#!/usr/bin/env python3
"""compare-diagnose.py OLD NEW: runs `diagnose -o json` of two incidentctl binaries against the
same servers (the environment's: `source` a sandbox's exports first), for every runbook and for
all of them, one binary right after the other, and compares the results check by check: the
checks run, their order, each one's status, runbooks, unit, levels, error and hint, the exit code
and the suggested severity. Values and summaries that differ only as readings do (a ping's round
trip, an age, memory in use) are listed, not counted. Exits 1 when anything else differs.

Used for issue 26 (the built-in runbooks as data): the binary of 7da17d6 against the new one."""
import json, subprocess, sys

if len(sys.argv) != 3:
    sys.exit(__doc__)
old, new = sys.argv[1], sys.argv[2]
selections = [[], ["app-down"], ["database"], ["error-rate"], ["performance"], ["security"]]
differs = 0

def diagnose(binary, args):
    r = subprocess.run([binary, "diagnose", *args, "-o", "json"], capture_output=True, text=True)
    return r.returncode, json.loads(r.stdout)

for args in selections:
    (code_a, a), (code_b, b) = diagnose(old, args), diagnose(new, args)
    ids_a = [c["id"] for c in a["checks"]]
    ids_b = [c["id"] for c in b["checks"]]
    same = (ids_a == ids_b and code_a == code_b and a["runbooks"] == b["runbooks"]
            and a["summary"]["severity"] == b["summary"]["severity"])
    print(f"{' '.join(args) or '(all)':12} exit {code_a}/{code_b}, {len(ids_a)}/{len(ids_b)} checks, "
          f"severity {a['summary']['severity']}/{b['summary']['severity']}{'' if same else '  <-- DIFFERS'}")
    differs += not same
    for ca, cb in zip(a["checks"], b["checks"]):
        for key in ["status", "runbooks", "unit", "warning", "critical", "error", "hint"]:
            if ca[key] != cb[key]:
                reordered = key == "runbooks" and sorted(ca[key]) == sorted(cb[key])
                note = "  (the same runbooks, in another order)" if reordered else ""
                print(f"   {ca['id']} {key}: {ca[key]!r} -> {cb[key]!r}{note}")
                differs += not reordered
        if ca["status"] == cb["status"] and (ca["value"] != cb["value"] or ca["summary"] != cb["summary"]):
            print(f"   {ca['id']} value {ca['value']!r} -> {cb['value']!r} (read a moment later)")
sys.exit(1 if differs else 0)

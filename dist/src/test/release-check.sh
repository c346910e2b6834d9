#!/usr/bin/env bash
# Tries the release as a new user would: unpacked into an empty folder, away from the sources,
# then the CLI's version, the worker's check help and the demo, run from it with Java alone.
set -euo pipefail
zip="$1"
work="$(mktemp -d "${TMPDIR:-/tmp}/abafix-release.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# Unpacked with the file modes the zip records: the launchers must arrive executable.
python3 - "$zip" "$work" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for info in z.infolist():
        path = z.extract(info, sys.argv[2])
        mode = (info.external_attr >> 16) & 0o777
        if mode:
            os.chmod(path, mode)
PY
cd "$work"/abafix-*
for needed in abafix abafix.cmd abafix.ps1 abafix-worker abafix-worker.cmd abafix.jar abafix-worker.jar \
  README.md deploy/windows/Install-AbafixServerWorker.ps1 scripts/Get-AbafixServerState.ps1; do
  [ -e "$needed" ] || { echo "release-check: $needed is missing from the zip" >&2; exit 1; }
done
for launcher in abafix abafix-worker; do
  [ -x "$launcher" ] || { echo "release-check: $launcher is not executable in the zip" >&2; exit 1; }
done
[ ! -e pom.xml ] && [ ! -e starter ] || { echo "release-check: the zip holds sources" >&2; exit 1; }

version="$(./abafix --version)"
echo "release-check: $version"
case "$version" in abafix*) ;; *) echo "release-check: --version said: $version" >&2; exit 1 ;; esac

./abafix-worker server --check --help | grep -q -- '--check' \
  || { echo "release-check: abafix-worker server --check --help does not document --check" >&2; exit 1; }

./abafix init "$work/abafix-contoso" --tenant contoso.onmicrosoft.com --server SERVERA --server SERVERB > "$work/init.out" \
  || { echo "release-check: abafix init failed" >&2; exit 1; }
for made in abafix.key audit-signing.key audit-signing.key.pub abafix.env NEXT-STEPS.txt \
  servers/SERVERA/server-worker-policy.json servers/SERVERB/server-worker-policy.json; do
  [ -f "$work/abafix-contoso/$made" ] || { echo "release-check: abafix init did not write $made" >&2; exit 1; }
done
echo "release-check: abafix init wrote the keys, the policies and the next steps"

./abafix demo --json --audit-out "$work/audit.jsonl" > "$work/demo.json" 2> "$work/demo.err" \
  || { cat "$work/demo.err" >&2; echo "release-check: the demo failed" >&2; exit 1; }
grep -q '"outcome":"SUCCEEDED"' "$work/demo.json" \
  || { cat "$work/demo.json" >&2; echo "release-check: the demo did not succeed" >&2; exit 1; }
echo "release-check: the demo from the release: SUCCEEDED"

#!/bin/sh
# Stands in for powershell.exe on lab server @SERVER@, for a worker running outside the lab.
# The production runner starts it exactly as it starts PowerShell:
#   <this file> -NoProfile -NonInteractive -ExecutionPolicy Bypass -File <script path>
# with the script's JSON input on stdin. The script runs in the lab daemon at @URL@ against the
# simulated server; its stdout, stderr and exit code come back as if PowerShell had run it here.
if [ "$#" -ne 6 ] || [ "$1" != "-NoProfile" ] || [ "$2" != "-NonInteractive" ] \
  || [ "$3" != "-ExecutionPolicy" ] || [ "$4" != "Bypass" ] || [ "$5" != "-File" ]; then
  echo "lab powershell: expected -NoProfile -NonInteractive -ExecutionPolicy Bypass -File <script>, got: $*" >&2
  exit 64
fi
name=${6##*/}
run=$(mktemp -d "@WORK@/run.XXXXXX") || exit 70
trap 'rm -rf "$run"' EXIT
if ! curl --silent --show-error --fail --output "$run/stdout" --dump-header "$run/headers" \
  --header "Content-Type: application/json" --data-binary @- \
  "@URL@/powershell/@SERVER@/$name?format=raw"; then
  echo "lab powershell: the lab daemon at @URL@ did not run $name" >&2
  exit 70
fi
header() {
  tr -d '\r' <"$run/headers" | awk -v h="$1" 'index($0, ":") { n = tolower(substr($0, 1, index($0, ":") - 1)); if (n == h) { v = substr($0, index($0, ":") + 1); sub(/^ +/, "", v); print v } }'
}
cat "$run/stdout"
stderr=$(header x-stderr-base64)
if [ -n "$stderr" ]; then printf '%s' "$stderr" | base64 -d >&2; fi
code=$(header x-exit-code)
case "$code" in
  "" | *[!0-9]*) exit 255 ;;
esac
if [ "$code" -gt 255 ]; then exit 255; fi
exit "$code"

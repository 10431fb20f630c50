#!/usr/bin/env bash
# The comparison in docs/gradcheck-vs-torch.md: the same cases through our GradCheck (Compare/, built from the packages in
# out/packages) and through torch.autograd.gradcheck / gradgradcheck (compare.py, Debian's python3-torch), each timed.
# Usage: samples/gradcheck-compare/run.sh [REPS]   (needs: apt-get install -y python3-torch)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
reps="${1:-9}"
version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -1)"
if [ ! -f "out/packages/LeanMlirVerify.Vjp.$version.nupkg" ]; then
  echo "compare: packing the libraries into out/packages (samples/run.sh)" >&2
  samples/run.sh >&2
fi
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "compare: no torch for /usr/bin/python3: apt-get install -y python3-torch" >&2
  exit 2
fi
dotnet build samples/gradcheck-compare/Compare/Compare.csproj -c Release -p:LeanMlirVerifyVersion="$version" -nologo -v q \
  -clp:ErrorsOnly >&2
echo "$(date -u +%F), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
echo
dotnet "samples/gradcheck-compare/Compare/bin/Release/net10.0/Compare.dll" "$reps"
echo
/usr/bin/python3 samples/gradcheck-compare/compare.py "$reps"

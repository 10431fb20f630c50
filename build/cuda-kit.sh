#!/usr/bin/env bash
# Builds a kit that runs lmv and the per-rule oracle tests on a Linux x86-64 machine with an NVIDIA GPU and a
# PyTorch install (whose CUDA libtorch TorchSharp then uses), without the .NET SDK there. README "On a GPU".
#
#   build/cuda-kit.sh [OUT]          # here, with the SDK; OUT defaults to out/cuda-kit
#   OUT/run.sh lmv check --differential --device cuda      # there
#   OUT/run.sh oracle-tests                                 # there: tests/Oracle's Rules, each case on CPU and CUDA
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(realpath -m "${1:-$root/out/cuda-kit}")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Build from a copy of the tracked files: TorchSharpPackage=TorchSharp (TorchSharp without libtorch) must not leave
# its restore in this checkout's obj folders.
mkdir -p "$work/src"
(cd "$root" && git ls-files -z | xargs -0 tar -cf -) | tar -xf - -C "$work/src"
rm -rf "$out"
mkdir -p "$out"
build() { dotnet "$@" -p:TorchSharpPackage=TorchSharp -nologo -v q -clp:ErrorsOnly; }
build publish "$work/src/src/Cli/Cli.csproj" -c Release -r linux-x64 --self-contained false -o "$out/lmv"
build build "$work/src/tests/Oracle/Oracle.csproj" -c Release -o "$out/tests"
find "$out/tests/runtimes" -mindepth 1 -maxdepth 1 ! -name linux-x64 -exec rm -rf {} +

# The .NET runtime both run on, and xUnit's console runner (restored by a throwaway project).
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
version="$(dotnet --list-runtimes | awk '$1 == "Microsoft.NETCore.App" { v = $2 } END { print v }')"
mkdir -p "$out/dotnet/shared/Microsoft.NETCore.App"
cp -r "$dotnet_root/dotnet" "$dotnet_root/host" "$out/dotnet/"
cp -r "$dotnet_root/shared/Microsoft.NETCore.App/$version" "$out/dotnet/shared/Microsoft.NETCore.App/"
mkdir -p "$work/runner"
cat > "$work/runner/runner.csproj" <<'PROJECT'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="xunit.runner.console" Version="[2.4.1]" /></ItemGroup>
</Project>
PROJECT
dotnet restore "$work/runner/runner.csproj" -v q >/dev/null
packages="$(dotnet nuget locals global-packages -l | sed 's/^global-packages: //')"
cp -r "$packages/xunit.runner.console/2.4.1/tools/netcoreapp2.0" "$out/xunit"

cat > "$out/run.sh" <<'RUN'
#!/usr/bin/env bash
# On the GPU machine: run.sh lmv ARGS... | run.sh oracle-tests [xUnit console options]
# libtorch comes from PyTorch (python3 -c 'import torch') unless TORCH_LIB names its lib folder.
set -euo pipefail
kit="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
torch_lib="${TORCH_LIB:-$(python3 -c 'import os, torch; print(os.path.dirname(torch.__file__))')/lib}"
export LD_LIBRARY_PATH="$torch_lib:$kit/tests/runtimes/linux-x64/native${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export DOTNET_ROOT="$kit/dotnet"
case "${1:-}" in
  lmv) shift; exec "$kit/lmv/lmv" "$@" ;;
  oracle-tests)
    shift
    cd "$kit/tests"
    # The runner targets .NET Core 2.0: roll forward to the kit's runtime. No NuGet cache: natives come from the kit.
    DOTNET_ROLL_FORWARD=Major NUGET_PACKAGES=/nonexistent exec "$kit/dotnet/dotnet" "$kit/xunit/xunit.console.dll" \
      LeanMlirVerify.Oracle.dll -namespace LeanMlirVerify.Oracle.Rules "$@" ;;
  *) echo "usage: run.sh lmv ARGS... | run.sh oracle-tests [xUnit console options]" >&2; exit 2 ;;
esac
RUN
chmod +x "$out/run.sh"
echo "cuda-kit: $out ($(du -sh "$out" | cut -f1)); on the GPU machine: $out/run.sh lmv ... | $out/run.sh oracle-tests"

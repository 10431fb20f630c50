#!/usr/bin/env bash
# Packs the libraries into the local feed out/packages, restores the samples from it (our packages fresh: removed from the
# NuGet global packages folder first, and checked to be the bytes just packed), builds and runs them, and checks what they
# print: the correct backward passes; the wrong one fails naming input 'x', element [1, 2], analytic 0 and numeric 1. Then the
# custom-layer plugin: trained from its spec file by lmv, and refused with a wrong backward.
# Exit 0 when every check holds. CI runs it after `dotnet test` (.ci/run). Usage: samples/run.sh
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
feed="$root/out/packages"
packages=(Calculus Vjp Testing)
passed=0
failed=0
check() { # check NAME COMMAND...: one named check of the samples
  local name="$1"; shift
  if "$@"; then echo "samples: ok   $name"; passed=$((passed + 1)); else echo "samples: FAIL $name" >&2; failed=$((failed + 1)); fi
}
finish() {
  echo "samples: $passed passed, $failed failed"
  [ "$failed" -eq 0 ] && exit 0 || exit 1
}

version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -1)"
[ -n "$version" ] || { echo "samples: no <Version> in Directory.Build.props" >&2; exit 1; }
echo "samples: packing LeanMlirVerify.{${packages[*]// /,}} $version into ${feed#"$root"/}"
rm -rf "$feed"
for p in "${packages[@]}"; do
  if ! dotnet pack "src/$p/$p.csproj" -c Release -o "$feed" -nologo -v q -clp:ErrorsOnly; then
    failed=$((failed + 1)); echo "samples: FAIL dotnet pack src/$p" >&2; finish
  fi
done
for p in "${packages[@]}"; do
  check "package LeanMlirVerify.$p.$version.nupkg (README, XML docs, MIT license)" \
    bash -c 'n="$1"; z="$2"; unzip -l "$z" | grep -q " README.md$" && unzip -l "$z" | grep -q "lib/net10.0/$n.xml$" &&
             unzip -p "$z" "$n.nuspec" | grep -q "<license type=\"expression\">MIT</license>"' _ "LeanMlirVerify.$p" \
    "$feed/LeanMlirVerify.$p.$version.nupkg"
done
check "LeanMlirVerify.Vjp carries the Debian 12 TorchSharp fix (buildTransitive/)" \
  bash -c 'unzip -l "$1" | grep -q "buildTransitive/LeanMlirVerify.Vjp.targets$"' _ "$feed/LeanMlirVerify.Vjp.$version.nupkg"

# Our packages, fresh: nothing of this version may come from an earlier restore.
global="$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')"
for p in "${packages[@]}"; do
  id="leanmlirverify.$(echo "$p" | tr '[:upper:]' '[:lower:]')"
  rm -rf "${global:?}/$id/$version"
done

sample=samples/GradCheckSample
rm -rf "$sample/bin" "$sample/obj"
echo "samples: restoring and building $sample from the local feed"
if ! dotnet build "$sample/GradCheckSample.csproj" -c Release -p:LeanMlirVerifyVersion="$version" -nologo -v q -clp:ErrorsOnly; then
  failed=$((failed + 1)); echo "samples: FAIL dotnet build $sample" >&2; finish
fi
for p in "${packages[@]}"; do
  id="leanmlirverify.$(echo "$p" | tr '[:upper:]' '[:lower:]')"
  check "$sample restored LeanMlirVerify.$p $version from the packed .nupkg" bash -c \
    '[ "$(openssl dgst -sha512 -binary "$1" | base64 -w0)" = "$(cat "$2")" ]' _ \
    "$feed/LeanMlirVerify.$p.$version.nupkg" "$global/$id/$version/$id.$version.nupkg.sha512"
done

if command -v readelf >/dev/null 2>&1 && ! grep -qa 'GLIBCXX_3\.4\.32' /usr/lib/x86_64-linux-gnu/libstdc++.so.6 2>/dev/null; then
  check "the package's build step marked GLIBCXX_3.4.32 weak in the sample's libLibTorchSharp.so (Debian 12)" bash -c \
    'readelf -V "$1" | grep -q "GLIBCXX_3.4.32 *Flags: WEAK"' _ "$sample/bin/Release/net10.0/runtimes/linux-x64/native/libLibTorchSharp.so"
fi

out="$(mktemp)"
dotnet "$sample/bin/Release/net10.0/GradCheckSample.dll" > "$out" 2>&1
rc=$?
sed 's/^/  | /' "$out"
check "$sample exits 0 (correct backward passes, wrong one fails at x [1, 2] only)" test "$rc" -eq 0
check "the correct backward passes" grep -q "^GradCheck passed for function" "$out"
named="^VJP mismatch: input 'x' \[1, 2\], output \[1, 2\]: analytic 0 \(backward\), numeric 1 \(.*h = .*\); "
named+="abs err .*, rel err .*, bound .* \(atol .*, rtol .*\)"
check "the wrong backward fails naming input 'x' [1, 2], analytic 0, numeric 1, errors, step and tolerance" \
  grep -qE "$named" "$out"
check "GradAssert throws GradientMismatchException on the wrong backward" grep -q "^GradientMismatchException: GradCheck failed" "$out"
rm -f "$out"

# A custom layer as a plugin of lmv (samples/CustomLayerSample): a rule written outside the library, used in a spec file and
# trained by `lmv train FILE` after its backward passes GradCheck.Rule; the same layer with a wrong backward is refused.
custom=samples/CustomLayerSample
rm -rf "$custom/bin" "$custom/obj"
echo "samples: building $custom (an lmv plugin) and training its spec file"
if dotnet build "$custom/CustomLayerSample.csproj" -c Release -nologo -v q -clp:ErrorsOnly; then
  runs="$(mktemp -d)"
  out="$(mktemp)"
  ./lmv train "$custom/net.yaml" --data synthetic --max-steps 8 --out "$runs/net" > "$out" 2>&1
  rc=$?
  sed 's/^/  | /' "$out"
  check "lmv train $custom/net.yaml exits 0" test "$rc" -eq 0
  check "the custom layer's rule passed GradCheck.Rule before training" \
    grep -q "^  layer 1 (custom LearnableLeakyRelu(channels=8)): GradCheck.Rule at a float64 point 2×8×4×4: passed" "$out"
  check "the net with the custom layer trained 8 steps" grep -qE "^MNIST-PReLU: 8 steps, [0-9]+ epochs, test accuracy" "$out"
  ./lmv train "$custom/wrong.yaml" --data synthetic --max-steps 8 --out "$runs/wrong" > "$out" 2>&1
  rc=$?
  sed 's/^/  | /' "$out"
  check "lmv train $custom/wrong.yaml (a wrong backward) is refused with exit 1" test "$rc" -eq 1
  check "the refusal names the layer, the check and the element" bash -c \
    'grep -q "^lmv train: layer 1 (custom WrongLeakyRelu(channels=8)): its backward fails GradCheck.Rule" "$1" &&
     grep -q "^VJP mismatch: parameter .L1.alpha. \[[0-9]\]" "$1"' _ "$out"
  check "nothing was trained with the wrong backward" test ! -e "$runs/wrong/trace.jsonl"
  rm -rf "$runs" "$out"
else
  failed=$((failed + 1)); echo "samples: FAIL dotnet build $custom" >&2
fi

# The comparison with torch.autograd.gradcheck (docs/gradcheck-vs-torch.md) is run by hand (it needs python3-torch); CI keeps
# our side of it building from the same packages.
compare=samples/gradcheck-compare/Compare
rm -rf "$compare/bin" "$compare/obj"
check "$compare builds from the packages" \
  dotnet build "$compare/Compare.csproj" -c Release -p:LeanMlirVerifyVersion="$version" -nologo -v q -clp:ErrorsOnly
finish

using static TorchSharp.torch;

namespace LeanMlirVerify.Training.Trainer;

/// <summary>
/// The <c>--device</c> choice. Everything else is device-agnostic; only here does a request for CUDA meet a build or
/// machine that cannot serve it, and the message says what to do.
/// </summary>
public static class TrainDevice
{
    /// <summary>The MSBuild switch that swaps in TorchSharp's CUDA package (Directory.Packages.props).</summary>
    public const string CudaSwitch = "-p:TorchSharpPackage=TorchSharp-cuda-linux";

    public static readonly string[] Names = ["cpu", "cuda"];

    /// <summary>CPU for "cpu"; CUDA for "cuda" when this build has the CUDA backend and sees a GPU, else a clear refusal.</summary>
    public static Device Resolve(string name) => name switch
    {
        "cpu" => CPU,
        "cuda" when cuda.is_available() => CUDA,
        "cuda" => throw new DeviceUnavailableException(
            "--device cuda: this build's TorchSharp has no CUDA backend (or no GPU is visible). "
            + $"On a Linux machine with CUDA, build with {CudaSwitch} (e.g. dotnet build src/Cli {CudaSwitch}), "
            + "or use a PyTorch install's libtorch through build/cuda-kit.sh (README \"On a GPU\"), or use --device cpu."),
        _ => throw new ArgumentException($"--device {name}: expected one of {string.Join(", ", Names)}"),
    };
}

/// <summary>The requested device cannot be used by this build on this machine; the message says what to do instead.</summary>
public sealed class DeviceUnavailableException(string message) : NotSupportedException(message);

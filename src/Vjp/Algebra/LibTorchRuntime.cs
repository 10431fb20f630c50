using System.Runtime.InteropServices;

namespace LeanMlirVerify.Vjp.Algebra;

/// <summary>
/// The process-wide libtorch settings one kind of run needs, named and applied in one place
/// (<see cref="LibTorchRuntime.Apply"/>): the trainer, the checks and the benchmark each pick one.
/// </summary>
/// <param name="Threads">intra-op threads; 0 keeps libtorch's default.</param>
/// <param name="OneDnn">libtorch's oneDNN CPU path (see <see cref="LibTorchRuntime.SetMkldnn"/>); null leaves it as it is.</param>
/// <param name="Tf32">TF32 in CUDA matmuls and convolutions (see <see cref="LibTorchRuntime.DisableTf32"/>).</param>
public sealed record RuntimeSettings(int Threads = 0, bool? OneDnn = null, bool Tf32 = true)
{
    /// <summary>Training and benchmarks: libtorch's defaults, or what the process already chose (NNPACK is always off).</summary>
    public static RuntimeSettings Defaults => new();

    /// <summary>
    /// Comparing arithmetic (FD checks, the oracle): IEEE float32 on CUDA, no oneDNN (wrong float32 convolutions here,
    /// docs/notes/onednn.md), one thread so figures do not depend on load and thousands of tiny forwards run fastest.
    /// </summary>
    public static RuntimeSettings Checking => new(Threads: 1, OneDnn: false, Tf32: false);

    /// <summary>
    /// Training with the autograd twin's gradients on <paramref name="device"/>: libtorch's own oneDNN conv backward
    /// returned wrong float32 gradients in 4 of the 16 differential cases on this project's CPU, and the twin is there
    /// to compare against, so on the CPU it runs without oneDNN.
    /// </summary>
    public static RuntimeSettings AutogradTwin(TorchSharp.torch.Device device) =>
        new(OneDnn: device.type == TorchSharp.DeviceType.CPU ? false : null);
}

/// <summary>
/// Process-wide libtorch settings that TorchSharp does not expose.
/// </summary>
public static class LibTorchRuntime
{
    /// <summary>Applies <paramref name="settings"/> to this process (NNPACK off and MKL reproducible in every case).</summary>
    public static void Apply(RuntimeSettings settings)
    {
        EnsureReproducibleMkl();
        DisableNnpack();
        if (settings.Threads > 0) TorchSharp.torch.set_num_threads(settings.Threads);
        if (settings.OneDnn is { } oneDnn) SetMkldnn(oneDnn);
        if (!settings.Tf32 && TorchSharp.torch.cuda.is_available()) DisableTf32();
    }

    /// <summary>MKL's code branch constants (mkl_cbwr.h): the query for the branch, "off", and AUTO.</summary>
    const int MklCbwrBranch = 1, MklCbwrBranchOff = 1, MklCbwrAuto = 2, MklCbwrSuccess = 0;

    static readonly Lazy<MklReproducibility> Mkl = new(SetMklAuto);

    /// <summary>
    /// Puts the MKL inside libtorch in its conditional numerical reproducibility mode (<c>MKL_CBWR=AUTO</c>: the fastest
    /// code branch of this CPU, chosen once) unless the process already chose a mode. Without it MKL's sgemm picks its
    /// path by the operands' memory alignment, so one float32 step of a 224×224 net gave losses 1–2 ulp apart from one
    /// fresh allocation to the next (docs/reliability.md, "Bitwise repeatable"). MKL takes the mode only before its
    /// first call, so every entry point that runs libtorch arithmetic calls this first; later calls return the first
    /// answer. The cost of AUTO against no mode is measured in docs/benchmarks.md.
    /// </summary>
    public static MklReproducibility EnsureReproducibleMkl() => Mkl.Value;

    static MklReproducibility SetMklAuto()
    {
        try
        {
            _ = TorchSharp.torch.get_num_threads(); // make sure TorchSharp has loaded libtorch
            var library = NativeLibrary.Load("libtorch_cpu.so", typeof(LibTorchRuntime).Assembly, null);
            if (!NativeLibrary.TryGetExport(library, "mkl_serv_cbwr_get", out var get)
                || !NativeLibrary.TryGetExport(library, "mkl_serv_cbwr_set", out var set))
                return MklReproducibility.NoMkl;
            unsafe
            {
                var branch = ((delegate* unmanaged<int, int>)get)(MklCbwrBranch);
                if (branch != MklCbwrBranchOff) return MklReproducibility.AlreadySet; // MKL_CBWR in the environment, or the host's choice
                var status = ((delegate* unmanaged<int, int>)set)(MklCbwrAuto);
                return status == MklCbwrSuccess ? MklReproducibility.Auto : MklReproducibility.Refused;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            return MklReproducibility.NoMkl;
        }
    }

    /// <summary>
    /// Turns libtorch's NNPACK convolution path off, as PyTorch's <c>torch.backends.nnpack.set_flags(False)</c> does.
    /// On CPUs NNPACK does not support, libtorch 2.10 retries NNPACK's initialisation on every conv2d call and logs
    /// "Could not initialize NNPACK! Reason: Unsupported hardware." each time (thousands of lines in one FD run, and a
    /// measurable cost). The flag is read before that attempt. Returns false when the symbol cannot be reached (a
    /// non-Itanium C++ ABI, e.g. Windows); then nothing changes.
    /// </summary>
    public static bool DisableNnpack() => SetContextFlag("_ZN2at7Context20setUserEnabledNNPACKEb", false);

    /// <summary>
    /// Turns libtorch's oneDNN (mkldnn) CPU path off, as <c>torch.backends.mkldnn.enabled = False</c> does. The oracle
    /// compares arithmetic and needs it off: libtorch 2.10's oneDNN float32 CPU convolutions returned NaN
    /// intermittently and wrong values for some shapes here (README "oneDNN"), in the hand rules' convs and in
    /// autograd's conv backward.
    /// </summary>
    public static bool DisableMkldnn() => SetMkldnn(false);

    /// <summary>Sets libtorch's oneDNN flag (on by default); false where the symbol cannot be reached.</summary>
    public static bool SetMkldnn(bool enabled) => SetContextFlag("_ZN2at7Context20setUserEnabledMkldnnEb", enabled);

    /// <summary>Calls <c>at::globalContext().{setter}(value)</c>; false where the symbol cannot be reached.</summary>
    static bool SetContextFlag(string setter, bool value)
    {
        try
        {
            _ = TorchSharp.torch.get_num_threads(); // make sure TorchSharp has loaded libtorch
            var library = NativeLibrary.Load("libtorch_cpu.so", typeof(LibTorchRuntime).Assembly, null);
            var globalContext = NativeLibrary.GetExport(library, "_ZN2at13globalContextEv");
            var setEnabled = NativeLibrary.GetExport(library, setter);
            unsafe
            {
                var context = ((delegate* unmanaged<IntPtr>)globalContext)();
                ((delegate* unmanaged<IntPtr, byte, void>)setEnabled)(context, value ? (byte)1 : (byte)0);
            }
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// IEEE float32 in CUDA matrix products and convolutions: libtorch lets cuDNN use TF32 (a 10-bit mantissa) by
    /// default, which puts relative errors near 1e-3 into any float32 comparison. The checks turn it off; training and
    /// benchmarks keep libtorch's defaults, the same for both pipelines.
    /// </summary>
    public static void DisableTf32()
    {
        TorchSharp.torch.backends.cuda.matmul.allow_tf32 = false;
        TorchSharp.torch.backends.cudnn.allow_tf32 = false;
    }
}

/// <summary>What <see cref="LibTorchRuntime.EnsureReproducibleMkl"/> found or did.</summary>
public enum MklReproducibility
{
    /// <summary>This call set MKL's AUTO branch: results no longer depend on memory alignment.</summary>
    Auto,

    /// <summary>A branch was chosen before (the MKL_CBWR environment variable or the host): left as it is.</summary>
    AlreadySet,

    /// <summary>MKL refused the change (it had already run); float32 results may differ in the last bits between runs.</summary>
    Refused,

    /// <summary>This libtorch has no MKL (another platform or build): nothing to set.</summary>
    NoMkl,
}

using System.Runtime.InteropServices;

namespace LeanMlirVerify.Vjp.Algebra;

/// <summary>
/// Process-wide libtorch settings that TorchSharp does not expose.
/// </summary>
public static class LibTorchRuntime
{
    static int nnpackDisabled;

    /// <summary>
    /// Turns libtorch's NNPACK convolution path off, as PyTorch's <c>torch.backends.nnpack.set_flags(False)</c> does.
    /// On CPUs NNPACK does not support, libtorch 2.10 retries NNPACK's initialisation on every conv2d call and logs
    /// "Could not initialize NNPACK! Reason: Unsupported hardware." each time (thousands of lines in one FD run, and a
    /// measurable cost). The flag is read before that attempt. Returns false when the symbol cannot be reached (a
    /// non-Itanium C++ ABI, e.g. Windows); then nothing changes.
    /// </summary>
    public static bool DisableNnpack()
    {
        if (Interlocked.Exchange(ref nnpackDisabled, 1) == 1) return true;
        try
        {
            _ = TorchSharp.torch.get_num_threads(); // make sure TorchSharp has loaded libtorch
            var library = NativeLibrary.Load("libtorch_cpu.so", typeof(LibTorchRuntime).Assembly, null);
            var globalContext = NativeLibrary.GetExport(library, "_ZN2at13globalContextEv");
            var setEnabled = NativeLibrary.GetExport(library, "_ZN2at7Context20setUserEnabledNNPACKEb");
            unsafe
            {
                var context = ((delegate* unmanaged<IntPtr>)globalContext)();
                ((delegate* unmanaged<IntPtr, byte, void>)setEnabled)(context, 0);
            }
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return false;
        }
    }
}

using System.Runtime.CompilerServices;

namespace LeanMlirVerify.FiniteDifference.Vjp;

static class TestSetup
{
    /// <summary>
    /// One intra-op thread: the checks run thousands of tiny forwards, where libtorch's thread hand-off costs more
    /// than it saves (measured 1.3 ms vs 0.27 ms per basic-block forward on this 2-core machine); xunit already
    /// runs test classes in parallel. oneDNN stays on: the float32 convolution tests check the path training runs.
    /// </summary>
#pragma warning disable CA2255 // a module initializer is the one hook that runs before every test in the assembly
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void SingleThreadedLibTorch()
    {
        LeanMlirVerify.Vjp.Algebra.LibTorchRuntime.Apply(LeanMlirVerify.Vjp.Algebra.RuntimeSettings.Checking with { OneDnn = null });
    }
}

using LeanMlirVerify.Vjp.Algebra;

namespace LeanMlirVerify.FiniteDifference.Vjp.Algebra;

public class LibTorchRuntimeTests
{
    [Fact]
    public void MklIsInItsReproducibleMode_OnceAnyRuntimeSettingsAreApplied()
    {
        // The module initializer applied RuntimeSettings.Checking before any test ran.
        Assert.Contains(LibTorchRuntime.EnsureReproducibleMkl(), new[] { MklReproducibility.Auto, MklReproducibility.AlreadySet });
    }
}

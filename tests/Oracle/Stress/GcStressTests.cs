using System.Runtime.CompilerServices;
using TorchSharp;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace LeanMlirVerify.Oracle.Stress;

/// <summary>The harness itself: the stress collects and finalizes, and a comparison that should fail does.</summary>
[Trait("Category", "Stress")]
public class GcStressTests(ITestOutputHelper output)
{
    /// <summary>
    /// A libtorch tensor that nothing references once this returns, as an implicit <c>double</c> → Tensor conversion
    /// leaves one; deliberately not disposed (and made outside any dispose scope), so only its finalizer can free it.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    static WeakReference DroppedTensor() => new(torch.ones(3));

    [Fact]
    public void GcStress_FinalizesADroppedTensorAndCountsItsCollections()
    {
        using var stress = GcStress.Start();
        var dropped = DroppedTensor();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (dropped.IsAlive && DateTime.UtcNow < deadline) Thread.Sleep(1);
        Thread.Sleep(50);
        output.WriteLine($"{stress.Collections} full and {stress.YoungCollections} generation-0 collections "
            + $"in {stress.Elapsed.TotalMilliseconds:0} ms");
        Assert.False(dropped.IsAlive, "the dropped tensor was not collected within 20 s of stress");
        Assert.True(stress.Collections >= 1, $"{stress.Collections} full collections counted");
        Assert.True(stress.YoungCollections >= 1, $"{stress.YoungCollections} generation-0 collections counted");
    }

    /// <summary>
    /// Tier-0 code keeps an implicit Scalar alive to the end of its method, which hides the use-after-free; the test
    /// host must JIT optimized code from the first call, as a long run reaches after its warm-up (see Oracle.csproj).
    /// </summary>
    [Fact]
    public void TestHost_RunsWithoutTieredCompilation() =>
        Assert.Equal("false", AppContext.GetData("System.Runtime.TieredCompilation")?.ToString());

    [Fact]
    public void Fingerprint_OneUlpApartDiffers_AndWithinItsToleranceDoesNot()
    {
        double a = 0.1, b = Math.BitIncrement(0.1);
        Assert.Single(Fingerprint.Differences(new Fingerprint().Add("x", a), new Fingerprint().Add("x", b)));
        Assert.Empty(Fingerprint.Differences(new Fingerprint().Add("x", a, 1e-15), new Fingerprint().Add("x", b, 1e-15)));
        Assert.Single(Fingerprint.Differences(new Fingerprint().Add("x", a, 1e-18), new Fingerprint().Add("x", b, 1e-18)));
        using var t = torch.tensor(new float[] { 1, 2, 3 });
        using var u = torch.tensor(new float[] { 1, 2, MathF.BitIncrement(3) });
        Assert.Single(Fingerprint.Differences(new Fingerprint().Add("t", t), new Fingerprint().Add("t", u)));
        Assert.Empty(Fingerprint.Differences(new Fingerprint().Add("t", t), new Fingerprint().Add("t", t.clone())));
        Assert.Single(Fingerprint.Differences(new Fingerprint().Add("x", a), new Fingerprint().Add("x", a).Add("y", a)));
    }

    [Fact]
    public void StressRun_FailsWhenAStressedRunGivesOtherNumbers()
    {
        int calls = 0;
        var e = Assert.Throws<TrueException>(() =>
            StressRun.Compare(() => new Fingerprint().Add("loss", calls++ == 0 ? 1.0 : Math.BitIncrement(1.0)), output));
        Assert.Contains("differ in run 1 under GC stress", e.Message);
    }

    [Fact]
    public void StressRun_FailsWhenTooFewCollectionsRan()
    {
        var e = Assert.Throws<TrueException>(() =>
            StressRun.Compare(() => new Fingerprint().Add("loss", 1.0), output, TimeSpan.FromMilliseconds(50), minCollections: 1_000_000));
        Assert.Contains("forced full collections ran", e.Message);
    }
}

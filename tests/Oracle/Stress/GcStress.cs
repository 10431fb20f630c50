using System.Diagnostics;

namespace LeanMlirVerify.Oracle.Stress;

/// <summary>
/// Forces full, blocking garbage collections and runs the finalizers, again and again, on a background thread until
/// disposed. A TorchSharp object that nothing keeps alive during a native call (an implicit <c>double</c> → Scalar or
/// Tensor) is then finalized while libtorch may still read it, so a use-after-free shows within seconds instead of once
/// in a long run (issue 12). Between two full collections it forces <see cref="YoungPerFull"/> generation-0 ones: such a
/// temporary is young, and a young collection is far shorter than a full one, so more of them fall inside the short
/// stretch of a native call before libtorch reads its arguments (measured: the unfixed trainer failed sooner with them).
/// </summary>
public sealed class GcStress : IDisposable
{
    /// <summary>Generation-0 collections (each followed by the finalizers) after each full one.</summary>
    public const int YoungPerFull = 4;

    readonly Thread thread;
    readonly Stopwatch clock = Stopwatch.StartNew();
    volatile bool stop;
    long collections, young;
    Exception? failure;

    GcStress()
    {
        thread = new Thread(Loop) { IsBackground = true, Name = "gc-stress" };
        thread.Start();
    }

    public static GcStress Start() => new();

    /// <summary>Full collections (each followed by the finalizers) finished so far.</summary>
    public long Collections => Interlocked.Read(ref collections);

    /// <summary>Generation-0 collections finished so far.</summary>
    public long YoungCollections => Interlocked.Read(ref young);

    /// <summary>How long the stress has been running.</summary>
    public TimeSpan Elapsed => clock.Elapsed;

    void Loop()
    {
        try
        {
            while (!stop)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true);
                GC.WaitForPendingFinalizers();
                Interlocked.Increment(ref collections);
                for (int i = 0; i < YoungPerFull && !stop; i++)
                {
                    GC.Collect(0, GCCollectionMode.Forced, blocking: true);
                    GC.WaitForPendingFinalizers();
                    Interlocked.Increment(ref young);
                }
            }
        }
        catch (Exception e)
        {
            failure = e; // a finalizer that throws ends up here; Dispose reports it
        }
    }

    /// <summary>Stops the thread (after its current collection) and rethrows anything the loop caught.</summary>
    public void Dispose()
    {
        stop = true;
        thread.Join();
        clock.Stop();
        if (failure is not null) throw new InvalidOperationException("the GC stress thread failed", failure);
    }
}

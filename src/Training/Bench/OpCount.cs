using TorchSharp;

namespace LeanMlirVerify.Training.Bench;

/// <summary>
/// How many tensors one call creates on this thread, from TorchSharp's dispose-scope statistics (every tensor handle
/// libtorch returns to .NET is counted once, in a scope or outside one). Each out-of-place libtorch op the caller
/// dispatches returns one such handle, so for the hand-derived step the count is its ops bar the in-place ones (add_,
/// addmm_, mul_ … return the tensor they were given, no new handle). For the autograd twin it sees only what crosses
/// into .NET: the forward's ops and the gradients autograd hands back; the backward's own ops run inside libtorch and
/// are not counted (TorchSharp 0.107 exposes no profiler or dispatcher hook). Compare the twin's figure with that in mind.
/// </summary>
public static class OpCount
{
    static long Created()
    {
        var s = DisposeScopeManager.Statistics.TensorStatistics;
        return s.CreatedInScopeCount + s.CreatedOutsideScopeCount;
    }

    /// <summary>Tensor handles created on this thread while <paramref name="call"/> runs.</summary>
    public static long Of(Action call)
    {
        var before = Created();
        call();
        return Created() - before;
    }
}

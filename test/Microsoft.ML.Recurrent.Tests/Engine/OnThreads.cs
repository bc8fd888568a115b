using Microsoft.ML.Recurrent.Engine.Threading;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>
/// Runs a computation at a given thread count and proves it: the worker pool runs a job serially while
/// another thread holds it, so a comparison of 1 and 2 threads means nothing unless the 2-thread run
/// really dispatched parallel jobs. Classes that use it are [DoNotParallelize], so the pool is free.
/// </summary>
internal static class OnThreads
{
    /// <summary>Runs <paramref name="body"/> with <paramref name="threads"/> threads on this thread's calls; with more than one, fails unless a parallel job ran (when <paramref name="expectParallel"/>).</summary>
    public static T Run<T>(int threads, Func<T> body, bool expectParallel = true)
    {
        long before = WorkerPool.ParallelJobsOnThisThread;
        T result;
        using (WorkerPool.LimitThreads(threads)) result = body();
        long jobs = WorkerPool.ParallelJobsOnThisThread - before;
        if (threads == 1) Assert.AreEqual(0L, jobs, "a 1-thread run dispatched parallel jobs");
        else if (expectParallel) Assert.IsGreaterThan(0L, jobs, $"the {threads}-thread run never ran a job on more than one thread, so it proves nothing");
        return result;
    }
}

using Microsoft.ML.Recurrent.Engine.Threading;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>The worker pool runs every part of every job exactly once, back to back, and reports failures.</summary>
[TestClass]
public sealed class WorkerPoolTests
{
    private sealed class CountingWork : IParallelWork
    {
        public int[] Runs = new int[8];
        public int FailingPart = -1;

        public void Execute(int part)
        {
            Interlocked.Increment(ref Runs[part]);
            if (part == FailingPart) throw new InvalidOperationException($"part {part} failed");
            // Uneven parts, so helpers and the caller race for the remaining ones.
            if (part % 3 == 1) Thread.SpinWait(50);
        }
    }

    [TestMethod]
    public void EveryPartOfBackToBackJobsRunsExactlyOnce()
    {
        int saved = WorkerPool.Parallelism;
        WorkerPool.Parallelism = 2;
        try
        {
            var works = new[] { new CountingWork(), new CountingWork() };
            for (int job = 0; job < 20_000; job++)
            {
                // Alternate two work objects and part counts, as consecutive time steps of different layers do.
                CountingWork work = works[job % 2];
                int count = 2 + job % 7;
                Array.Clear(work.Runs);
                WorkerPool.Run(count, work);
                for (int p = 0; p < work.Runs.Length; p++)
                    Assert.AreEqual(p < count ? 1 : 0, work.Runs[p], $"job {job}: part {p} of {count} ran {work.Runs[p]} times");
            }
        }
        finally { WorkerPool.Parallelism = saved; }
    }

    [TestMethod]
    public void AFailingPartIsRethrownAndThePoolKeepsWorking()
    {
        int saved = WorkerPool.Parallelism;
        WorkerPool.Parallelism = 2;
        try
        {
            var failing = new CountingWork { FailingPart = 3 };
            var error = Assert.ThrowsExactly<InvalidOperationException>(() => WorkerPool.Run(5, failing));
            Assert.AreEqual("part 3 failed", error.Message);
            // No part runs twice (whether the rest ran depends on whether the pool was free: a busy pool runs parts inline and stops at the error).
            Assert.IsTrue(failing.Runs.All(r => r <= 1), string.Join(",", failing.Runs));
            var next = new CountingWork();
            WorkerPool.Run(4, next);
            CollectionAssert.AreEqual(new[] { 1, 1, 1, 1, 0, 0, 0, 0 }, next.Runs);
        }
        finally { WorkerPool.Parallelism = saved; }
    }
}

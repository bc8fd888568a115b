namespace Microsoft.ML.Recurrent.Engine.Threading;

/// <summary>A unit of parallel work: part <c>p</c> of <c>count</c>.</summary>
internal interface IParallelWork
{
    /// <summary>Runs part <paramref name="part"/>.</summary>
    void Execute(int part);
}

/// <summary>
/// The engine's persistent worker threads. <see cref="Run"/> splits work into parts executed by the
/// calling thread and the workers, and returns when all are done. Workers spin briefly before they
/// sleep, so back-to-back small jobs (one per time step) cost microseconds, and nothing is allocated
/// per call. Results never depend on the thread count: callers split work so that each output value
/// is computed by exactly one part in a fixed order.
/// </summary>
internal static class WorkerPool
{
    private static readonly object s_gate = new();
    private static Worker[] s_workers = [];
    private static int s_parallelism = Math.Max(1, Environment.ProcessorCount);
    [ThreadStatic] private static bool t_inside;
    [ThreadStatic] private static int t_limit;
    [ThreadStatic] private static long t_parallelJobs;

    /// <summary>
    /// Threads the engine uses (the caller included); defaults to the processor count. Set 1 for
    /// single-threaded runs. A <see cref="LimitThreads"/> scope on the calling thread overrides it there.
    /// </summary>
    public static int Parallelism
    {
        get => t_limit > 0 ? t_limit : s_parallelism;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            s_parallelism = Math.Min(value, 64);
        }
    }

    /// <summary>
    /// Jobs this thread has run with at least one helper thread, so a test can prove that work it meant
    /// to run on several threads did (the pool runs a job serially while another thread holds it).
    /// </summary>
    internal static long ParallelJobsOnThisThread => t_parallelJobs;

    /// <summary>
    /// Sets <see cref="Parallelism"/> for the calling thread only until the scope is disposed (null keeps
    /// the process-wide value): how a trainer honours its NumberOfThreads without a process-wide switch.
    /// </summary>
    internal static ThreadLimit LimitThreads(int? threads)
    {
        int previous = t_limit;
        if (threads is int n)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(n, 1, nameof(threads));
            t_limit = Math.Min(n, 64);
        }
        return new ThreadLimit(previous);
    }

    /// <summary>Restores the calling thread's previous thread limit.</summary>
    internal readonly struct ThreadLimit(int previous) : IDisposable
    {
        /// <summary>Ends the scope.</summary>
        public void Dispose() => t_limit = previous;
    }

    /// <summary>Runs parts 0..count-1 of <paramref name="work"/>, in parallel when possible.</summary>
    internal static void Run(int count, IParallelWork work)
    {
        if (count <= 1 || t_inside || !Monitor.TryEnter(s_gate))
        {
            for (int p = 0; p < count; p++) work.Execute(p);
            return;
        }
        try
        {
            int helpers = Math.Min(count, Parallelism) - 1;
            if (helpers > 0) t_parallelJobs++;
            EnsureWorkers(helpers);
            JobState job = s_job;
            long epoch = job.Begin(work, count);
            for (int w = 0; w < helpers; w++) s_workers[w].Start();
            t_inside = true;
            try { job.Drain(epoch); }
            finally { t_inside = false; }
            // Parts a helper did not get to were taken here, so this waits only for parts still running.
            job.WaitForCompletion();
            job.ThrowIfFailed();
        }
        finally
        {
            Monitor.Exit(s_gate);
        }
    }

    private static readonly JobState s_job = new();

    private static void EnsureWorkers(int count)
    {
        if (s_workers.Length >= count) return;
        var workers = new Worker[count];
        s_workers.CopyTo(workers, 0);
        for (int w = s_workers.Length; w < count; w++) workers[w] = new Worker(w);
        s_workers = workers;
    }

    /// <summary>
    /// The current call's shared state (one call at a time). Parts are claimed by compare-and-swap on
    /// (epoch, next part), so a helper that wakes late can only take a part of the job it read, or of the
    /// job then current, never one of a finished job's successor twice.
    /// </summary>
    private sealed class JobState
    {
        private IParallelWork? _work;
        private int _count, _completed;
        private long _state;
        private Exception? _error;

        /// <summary>Publishes a job; returns its epoch.</summary>
        public long Begin(IParallelWork work, int count)
        {
            long epoch = (Volatile.Read(ref _state) >> 32) + 1;
            // Close the finished job before its fields change: a helper still draining it may have read its last state and
            // then this job's count, and its claim must fail (it did not, and ran a part of this job twice: seen once in
            // 20,000 back-to-back jobs). No part number reaches int.MaxValue, so nothing is claimable until the open below.
            Interlocked.Exchange(ref _state, (epoch << 32) | int.MaxValue);
            _work = work;
            _count = count;
            _error = null;
            Volatile.Write(ref _completed, 0);
            Volatile.Write(ref _state, epoch << 32);
            return epoch;
        }

        /// <summary>The epoch of the job published last.</summary>
        public long CurrentEpoch => Volatile.Read(ref _state) >> 32;

        /// <summary>Runs unclaimed parts of job <paramref name="epoch"/> until none is left or a newer job replaced it.</summary>
        public void Drain(long epoch)
        {
            while (true)
            {
                long state = Volatile.Read(ref _state);
                int part = (int)state;
                if (state >> 32 != epoch || part >= _count) return;
                if (Interlocked.CompareExchange(ref _state, state + 1, state) != state) continue;
                try { _work!.Execute(part); }
                catch (Exception e) { Interlocked.CompareExchange(ref _error, e, null); }
                Interlocked.Increment(ref _completed);
            }
        }

        public void WaitForCompletion()
        {
            var spin = new SpinWait();
            while (Volatile.Read(ref _completed) < _count) spin.SpinOnce(sleep1Threshold: -1);
        }

        public void ThrowIfFailed()
        {
            _work = null;
            if (_error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_error);
        }
    }

    /// <summary>
    /// A persistent thread. Between jobs it spins on a ticket for a short while (time steps come back
    /// within microseconds) and only then sleeps on an event, so a hand-off rarely pays a kernel wake-up.
    /// </summary>
    private sealed class Worker
    {
        private const int SpinIterations = 2_000;
        private readonly ManualResetEventSlim _signal = new(false);
        private int _ticket, _sleeping;

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"Recurrent worker {index + 1}" };
            thread.Start();
        }

        public void Start()
        {
            Interlocked.Increment(ref _ticket);
            if (Volatile.Read(ref _sleeping) == 1) _signal.Set();
        }

        private void Loop()
        {
            t_inside = true;
            int seen = 0;
            while (true)
            {
                int spins = 0;
                while (Volatile.Read(ref _ticket) == seen)
                {
                    if (++spins < SpinIterations) { Thread.SpinWait(4); continue; }
                    Interlocked.Exchange(ref _sleeping, 1);
                    if (Volatile.Read(ref _ticket) == seen) _signal.Wait();
                    _signal.Reset();
                    Volatile.Write(ref _sleeping, 0);
                    spins = 0;
                }
                seen = Volatile.Read(ref _ticket);
                s_job.Drain(s_job.CurrentEpoch);
            }
        }
    }
}

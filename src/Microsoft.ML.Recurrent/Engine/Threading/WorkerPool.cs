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
public static class WorkerPool
{
    private static readonly object s_gate = new();
    private static Worker[] s_workers = [];
    private static int s_parallelism = Math.Max(1, Environment.ProcessorCount);
    [ThreadStatic] private static bool t_inside;

    /// <summary>Threads the engine uses (the caller included); defaults to the processor count. Set 1 for single-threaded runs.</summary>
    public static int Parallelism
    {
        get => s_parallelism;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            s_parallelism = Math.Min(value, 64);
        }
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
            EnsureWorkers(helpers);
            JobState job = s_job;
            job.Begin(work, count);
            for (int w = 0; w < helpers; w++) s_workers[w].Start(job);
            t_inside = true;
            try { job.Drain(); }
            finally { t_inside = false; }
            job.WaitForHelpers(helpers);
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

    /// <summary>The current call's shared state (one call at a time): the next part to take, completions and the first error.</summary>
    private sealed class JobState
    {
        private IParallelWork? _work;
        private int _count, _next, _helpersDone;
        private Exception? _error;

        public void Begin(IParallelWork work, int count)
        {
            _work = work;
            _count = count;
            _error = null;
            Volatile.Write(ref _helpersDone, 0);
            Volatile.Write(ref _next, -1);
        }

        public void Drain()
        {
            int part;
            while ((part = Interlocked.Increment(ref _next)) < _count)
            {
                try { _work!.Execute(part); }
                catch (Exception e) { Interlocked.CompareExchange(ref _error, e, null); }
            }
        }

        public void HelperDone() => Interlocked.Increment(ref _helpersDone);

        public void WaitForHelpers(int helpers)
        {
            var spin = new SpinWait();
            while (Volatile.Read(ref _helpersDone) < helpers) spin.SpinOnce(sleep1Threshold: -1);
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
        private JobState? _job;
        private int _ticket, _sleeping;

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"Recurrent worker {index + 1}" };
            thread.Start();
        }

        public void Start(JobState job)
        {
            _job = job;
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
                JobState job = _job!;
                job.Drain();
                job.HelperDone();
            }
        }
    }
}

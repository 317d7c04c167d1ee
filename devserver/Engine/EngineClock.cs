namespace Payments.DevServer.Engine;

/// <summary>
/// The one clock behind every timer and timeout of the engine. In real-time mode it follows the wall clock; in
/// time-skipping mode (Temporal's TestService semantics) it also jumps to the next due timer whenever the
/// skipping lock counter is zero, i.e. nobody asked to hold time and no workflow/activity task is in flight.
/// </summary>
public sealed class EngineClock : IDisposable
{
    private readonly Lock _gate = new();
    private readonly PriorityQueue<ScheduledTimer, (DateTime Due, long Sequence)> _timers = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly Thread _thread;
    private readonly Action<Exception> _onCallbackError;
    private long _sequence;
    private TimeSpan _skipped;
    private int _lockCount = 1;
    private volatile bool _stopped;

    public EngineClock(bool timeSkipping, Action<Exception> onCallbackError)
    {
        TimeSkipping = timeSkipping;
        _onCallbackError = onCallbackError;
        _thread = new Thread(Run) { IsBackground = true, Name = "devserver-clock" };
        _thread.Start();
    }

    public bool TimeSkipping { get; }

    public DateTime UtcNow
    {
        get
        {
            lock (_gate)
            {
                return DateTime.UtcNow + _skipped;
            }
        }
    }

    /// <summary>Runs <paramref name="callback"/> on the clock thread once the (virtual) time reaches <paramref name="dueUtc"/>.</summary>
    public ScheduledTimer Schedule(DateTime dueUtc, Action callback)
    {
        var timer = new ScheduledTimer(dueUtc, callback);
        lock (_gate)
        {
            _timers.Enqueue(timer, (dueUtc, _sequence++));
        }
        _wake.Set();
        return timer;
    }

    public ScheduledTimer After(TimeSpan delay, Action callback) => Schedule(UtcNow + delay, callback);

    /// <summary>Holds time (TestService LockTimeSkipping, or a task in flight).</summary>
    public void Lock()
    {
        lock (_gate)
        {
            _lockCount++;
        }
    }

    /// <summary>Releases one hold; answers false when there was none to release.</summary>
    public bool Unlock()
    {
        lock (_gate)
        {
            if (_lockCount == 0)
            {
                return false;
            }
            _lockCount--;
        }
        _wake.Set();
        return true;
    }

    /// <summary>Completes once the clock reaches <paramref name="dueUtc"/> (skipping there when allowed).</summary>
    public Task SleepUntilAsync(DateTime dueUtc, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var timer = Schedule(dueUtc, () => done.TrySetResult());
        cancellationToken.Register(() =>
        {
            timer.Cancel();
            done.TrySetCanceled(cancellationToken);
        });
        return done.Task;
    }

    /// <summary>
    /// Releases one hold for <paramref name="duration"/> (TestService UnlockTimeSkippingWithSleep). The hold is taken
    /// back on the clock thread as the sleep ends, so time cannot skip past it to a later timer.
    /// </summary>
    public async Task UnlockedSleepAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var timer = Schedule(UtcNow + duration, () =>
        {
            Lock();
            done.TrySetResult();
        });
        if (!Unlock())
        {
            timer.Cancel();
            throw TemporalErrors.FailedPrecondition("Time skipping is not locked");
        }
        await using var registration = cancellationToken.Register(() =>
        {
            if (timer.Cancel())
            {
                Lock();
                done.TrySetCanceled(cancellationToken);
            }
        });
        await done.Task;
    }

    public void Dispose()
    {
        _stopped = true;
        _wake.Set();
        _thread.Join();
        _wake.Dispose();
    }

    private void Run()
    {
        while (!_stopped)
        {
            var wait = NextDue(out var due);
            if (due is not null)
            {
                try
                {
                    due.Fire();
                }
                catch (Exception error)
                {
                    _onCallbackError(error);
                }
                continue;
            }
            _wake.WaitOne(wait);
        }
    }

    private TimeSpan NextDue(out ScheduledTimer? due)
    {
        due = null;
        lock (_gate)
        {
            while (_timers.TryPeek(out var next, out var key))
            {
                if (next.IsCancelled)
                {
                    _timers.Dequeue();
                    continue;
                }
                var now = DateTime.UtcNow + _skipped;
                if (key.Due > now && TimeSkipping && _lockCount == 0)
                {
                    _skipped += key.Due - now;
                    now = key.Due;
                }
                if (key.Due <= now)
                {
                    due = _timers.Dequeue();
                    return TimeSpan.Zero;
                }
                var wait = key.Due - now;
                return wait > TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : wait;
            }
        }
        return Timeout.InfiniteTimeSpan;
    }
}

/// <summary>A callback scheduled on the <see cref="EngineClock"/>; cancelling it is idempotent.</summary>
public sealed class ScheduledTimer(DateTime due, Action callback)
{
    private int _state;

    public DateTime Due { get; } = due;

    public bool IsCancelled => Volatile.Read(ref _state) != 0;

    /// <summary>True when this call stopped the callback from running (it had neither run nor been cancelled).</summary>
    public bool Cancel() => Interlocked.Exchange(ref _state, 1) == 0;

    internal void Fire()
    {
        if (Interlocked.Exchange(ref _state, 1) == 0)
        {
            callback();
        }
    }
}

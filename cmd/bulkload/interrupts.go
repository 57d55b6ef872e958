package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"
)

// interruptGrace is how long a run stopped by a first interrupt waits for its requests in flight.
const interruptGrace = 30 * time.Second

// runningDir is the run directory of the run in progress, for the message of a second interrupt.
var runningDir atomic.Value

// gentleKey carries, in a command's context, what a run needs to stop gently (see gentle).
type gentleKey struct{}

type gentleStop struct {
	hard context.Context // cancelled only after the grace period, or never
	stop <-chan struct{} // closed at the first interrupt
}

// watchInterrupts handles SIGINT and SIGTERM for the whole program. It returns the context for
// the commands, cancelled at the first interrupt. A run sends nothing after that but lets its
// requests in flight finish, up to interruptGrace, records them and writes its reports (gentle);
// a second interrupt exits at once with 130, the run store consistent (every request is marked
// in it before it leaves) and the run resumable.
func watchInterrupts(errOut io.Writer) context.Context {
	hard, cancelHard := context.WithCancel(context.Background())
	stop := make(chan struct{})
	soft, cancelSoft := context.WithCancel(context.WithValue(context.Background(), gentleKey{}, gentleStop{hard: hard, stop: stop}))
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-signals
		close(stop)
		cancelSoft()
		fmt.Fprintf(errOut, "\nbulkload: stopping: no new requests; waiting up to %s for those in flight (interrupt again to quit at once)\n", interruptGrace)
		select {
		case <-signals:
			dir, _ := runningDir.Load().(string)
			if dir == "" {
				dir = "RUNDIR"
			}
			fmt.Fprintf(errOut, "bulkload: quit at once; the run store is consistent: finish with bulkload run --resume %s\n", dir)
			os.Exit(exitInterrupted)
		case <-time.After(interruptGrace):
			cancelHard()
		}
	}()
	return soft
}

// gentle returns, for a run, the context its requests go out under (cancelled only once the grace
// period after an interrupt is over) and the channel closed at the first interrupt. Without
// watchInterrupts (tests), it is ctx itself, and a nil channel.
func gentle(ctx context.Context) (context.Context, <-chan struct{}) {
	g, ok := ctx.Value(gentleKey{}).(gentleStop)
	if !ok {
		return ctx, nil
	}
	return g.hard, g.stop
}

// The client-go peer of the demo app, for the benchmarks: client-go's leaderelection with the original
// client-go demo's settings (15 s / 10 s / 2 s, ReleaseOnCancel, identity from POD_NAME), read from the same
// environment as the demo app, with the same log lines and the same /leader answer, so that one benchmark
// can measure both.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"syscall"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/client-go/tools/leaderelection"
	"k8s.io/client-go/tools/leaderelection/resourcelock"
)

func env(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func seconds(name string, fallback int) time.Duration {
	v, err := strconv.Atoi(env(name, strconv.Itoa(fallback)))
	if err != nil || v <= 0 {
		log.Fatalf("%s must be a positive number of seconds, got %q", name, os.Getenv(name))
	}
	return time.Duration(v) * time.Second
}

func config() (*rest.Config, error) {
	if path := os.Getenv("KUBECONFIG"); path != "" {
		return clientcmd.BuildConfigFromFlags("", path)
	}
	return rest.InClusterConfig()
}

type view struct {
	sync.Mutex
	Identity string  `json:"identity"`
	Leader   *string `json:"leader"`
	IsLeader bool    `json:"isLeader"`
}

func main() {
	log.SetFlags(log.LstdFlags | log.Lmicroseconds | log.LUTC)
	identity := env("POD_NAME", env("HOSTNAME", ""))
	namespace := env("POD_NAMESPACE", "default")
	leaseName := os.Getenv("LEASE_NAME")
	if identity == "" || leaseName == "" {
		log.Fatal("POD_NAME and LEASE_NAME must be set")
	}
	cfg, err := config()
	if err != nil {
		log.Fatalf("no Kubernetes client configuration: %v", err)
	}
	client := kubernetes.NewForConfigOrDie(cfg)
	state := &view{Identity: identity}

	listener, err := net.Listen("tcp", ":"+env("HTTP_PORT", "8080"))
	if err != nil {
		log.Fatalf("cannot listen: %v", err)
	}
	http.HandleFunc("/leader", func(w http.ResponseWriter, _ *http.Request) {
		state.Lock()
		defer state.Unlock()
		w.Header().Set("Content-Type", "application/json")
		body, _ := json.Marshal(state)
		fmt.Fprintf(w, "%s\n", body)
	})
	http.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	go func() { _ = http.Serve(listener, nil) }()
	log.Printf("Serving /healthz and /leader on port %d", listener.Addr().(*net.TCPAddr).Port)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-signals
		cancel()
	}()

	lock := &resourcelock.LeaseLock{
		LeaseMeta:  metav1.ObjectMeta{Name: leaseName, Namespace: namespace},
		Client:     client.CoordinationV1(),
		LockConfig: resourcelock.ResourceLockConfig{Identity: identity},
	}
	lease, renew, retry := seconds("LEASE_DURATION_SECONDS", 15), seconds("RENEW_DEADLINE_SECONDS", 10),
		seconds("RETRY_PERIOD_SECONDS", 2)
	log.Printf("%s joins the election for lease %s/%s (%v / %v / %v, releaseOnCancel=true)",
		identity, namespace, leaseName, lease, renew, retry)
	leaderelection.RunOrDie(ctx, leaderelection.LeaderElectionConfig{
		Lock:            lock,
		ReleaseOnCancel: true,
		LeaseDuration:   lease,
		RenewDeadline:   renew,
		RetryPeriod:     retry,
		Callbacks: leaderelection.LeaderCallbacks{
			OnStartedLeading: func(ctx context.Context) {
				state.Lock()
				state.IsLeader = true
				state.Unlock()
				log.Printf("%s is now the leader", identity)
				<-ctx.Done()
			},
			OnStoppedLeading: func() {
				state.Lock()
				state.IsLeader = false
				state.Unlock()
				log.Printf("%s lost leadership", identity)
			},
			OnNewLeader: func(holder string) {
				state.Lock()
				h := holder
				state.Leader = &h
				state.Unlock()
				log.Printf("new leader is %s", holder)
			},
		},
	})
}

// A gRPC server with grpc-go's own health service (google.golang.org/grpc/health),
// for vigil's gRPC probe tests. It is built offline from Debian's
// golang-google-grpc-dev: GO111MODULE=off GOPATH=<dir>:/usr/share/gocode.
// CGO_ENABLED=0 makes it static, so that it also runs in FROM-scratch images.
//
//	health_server [-listen 127.0.0.1:0 | -unix PATH] [-no-health] [-status-file FILE]
//
// It prints "listening on ADDRESS" once it accepts connections, then takes
// commands, one a line, and answers "ok" to each:
//
//	SERVICE STATUS   set SERVICE's status ("-" is the server's overall health);
//	                 STATUS is SERVING, NOT_SERVING, UNKNOWN or SERVICE_UNKNOWN
//
// The commands come from stdin, and it exits when stdin closes. With
// -status-file they come from FILE instead, for a server in a container
// (started with `docker run -d`, whose stdin is closed at once): it reads
// FILE every 100 ms and, whenever its content differs from the last it
// applied, applies all its lines again; a missing FILE changes nothing. The
// test writes FILE on a bind mount, whole (a new file renamed over the old),
// so that the server never reads half of it. It then runs until killed.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// apply carries out one command line and says how it went ("ok" or why not).
func apply(healthServer *health.Server, line string) string {
	fields := strings.Fields(line)
	if len(fields) != 2 {
		return "error: expected SERVICE STATUS"
	}
	status, known := healthpb.HealthCheckResponse_ServingStatus_value[fields[1]]
	if !known {
		return "error: unknown status " + fields[1]
	}
	service := fields[0]
	if service == "-" {
		service = ""
	}
	healthServer.SetServingStatus(service, healthpb.HealthCheckResponse_ServingStatus(status))
	return "ok"
}

// followStatusFile applies FILE's lines each time its content changes.
func followStatusFile(healthServer *health.Server, path string) {
	applied := ""
	for {
		content, err := os.ReadFile(path)
		if err == nil && string(content) != applied {
			applied = string(content)
			for _, line := range strings.Split(applied, "\n") {
				if strings.TrimSpace(line) != "" {
					fmt.Println(apply(healthServer, line))
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on")
	unixPath := flag.String("unix", "", "unix socket to listen on instead")
	noHealth := flag.Bool("no-health", false, "serve no health service (calls get UNIMPLEMENTED)")
	statusFile := flag.String("status-file", "", "take the commands from this file, not stdin")
	flag.Parse()

	network, address := "tcp", *listen
	if *unixPath != "" {
		network, address = "unix", *unixPath
	}
	listener, err := net.Listen(network, address)
	if err != nil {
		fmt.Fprintln(os.Stderr, "health_server:", err)
		os.Exit(1)
	}
	server := grpc.NewServer()
	healthServer := health.NewServer()
	if !*noHealth {
		healthpb.RegisterHealthServer(server, healthServer)
	}
	go server.Serve(listener)
	fmt.Printf("listening on %s\n", listener.Addr())

	if *statusFile != "" {
		followStatusFile(healthServer, *statusFile)
	}
	input := bufio.NewScanner(os.Stdin)
	for input.Scan() {
		fmt.Println(apply(healthServer, input.Text()))
	}
	server.Stop()
}

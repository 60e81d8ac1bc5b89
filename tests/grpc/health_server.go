// A gRPC server with grpc-go's own health service (google.golang.org/grpc/health),
// for vigil's gRPC probe tests. It is built offline from Debian's
// golang-google-grpc-dev: GO111MODULE=off GOPATH=<dir>:/usr/share/gocode.
//
//	health_server [-listen 127.0.0.1:0 | -unix PATH] [-no-health]
//
// It prints "listening on ADDRESS" once it accepts connections, then reads
// commands from stdin, one a line, and answers "ok" to each:
//
//	SERVICE STATUS   set SERVICE's status ("-" is the server's overall health);
//	                 STATUS is SERVING, NOT_SERVING, UNKNOWN or SERVICE_UNKNOWN
//
// It exits when stdin closes.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"net"
	"os"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on")
	unixPath := flag.String("unix", "", "unix socket to listen on instead")
	noHealth := flag.Bool("no-health", false, "serve no health service (calls get UNIMPLEMENTED)")
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

	input := bufio.NewScanner(os.Stdin)
	for input.Scan() {
		fields := strings.Fields(input.Text())
		if len(fields) != 2 {
			fmt.Println("error: expected SERVICE STATUS")
			continue
		}
		status, known := healthpb.HealthCheckResponse_ServingStatus_value[fields[1]]
		if !known {
			fmt.Println("error: unknown status", fields[1])
			continue
		}
		service := fields[0]
		if service == "-" {
			service = ""
		}
		healthServer.SetServingStatus(service, healthpb.HealthCheckResponse_ServingStatus(status))
		fmt.Println("ok")
	}
	server.Stop()
}

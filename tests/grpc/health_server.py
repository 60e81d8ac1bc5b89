#!/usr/bin/python3
"""A gRPC server on gRPC for Python (Debian's python3-grpcio, whose HTTP/2 and
gRPC stack is gRPC's C core) serving grpc.health.v1.Health/Check, for vigil's
gRPC probe tests.

Debian packages grpcio but not grpcio-health-checking, so the Check handler
is written here: it answers as the reference health servicer does (the
status set for the service, NOT_FOUND for a service never set). Its two
messages are encoded by hand; HealthCheckRequest has one string field,
HealthCheckResponse one enum field.

    health_server.py [--listen 127.0.0.1:0 | --unix PATH] [--no-health]

Prints "listening on ADDRESS", then reads "SERVICE STATUS" lines on stdin
("-" is the server's overall health) and answers "ok" to each. Exits when
stdin closes.
"""
import argparse
import sys
from concurrent import futures

import grpc

STATUSES = {"UNKNOWN": 0, "SERVING": 1, "NOT_SERVING": 2, "SERVICE_UNKNOWN": 3}


def read_varint(data, at):
    value, shift = 0, 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, at


def decode_request(data):
    """HealthCheckRequest.service (field 1, length-delimited)."""
    service, at = "", 0
    while at < len(data):
        key, at = read_varint(data, at)
        if key & 7 == 2:
            length, at = read_varint(data, at)
            if key >> 3 == 1:
                service = data[at:at + length].decode()
            at += length
        elif key & 7 == 0:
            _, at = read_varint(data, at)
        else:
            raise ValueError("unexpected wire type")
    return service


def encode_response(status):
    """HealthCheckResponse.status (field 1, varint); proto3 omits 0."""
    return bytes([0x08, status]) if status else b""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", default="127.0.0.1:0")
    parser.add_argument("--unix")
    parser.add_argument("--no-health", action="store_true")
    arguments = parser.parse_args()

    statuses = {"": STATUSES["SERVING"]}

    def check(service, context):
        if service not in statuses:
            context.abort(grpc.StatusCode.NOT_FOUND, "unknown service")
        return statuses[service]

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    if not arguments.no_health:
        handler = grpc.unary_unary_rpc_method_handler(
            check, request_deserializer=decode_request, response_serializer=encode_response)
        server.add_generic_rpc_handlers(
            (grpc.method_handlers_generic_handler("grpc.health.v1.Health", {"Check": handler}),))
    if arguments.unix:
        server.add_insecure_port("unix:" + arguments.unix)
        address = arguments.unix
    else:
        host = arguments.listen.rsplit(":", 1)[0]
        port = server.add_insecure_port(arguments.listen)
        address = "%s:%d" % (host, port)
    server.start()
    print("listening on", address, flush=True)

    for line in sys.stdin:
        fields = line.split()
        if len(fields) != 2 or fields[1] not in STATUSES:
            print("error: expected SERVICE STATUS", flush=True)
            continue
        statuses["" if fields[0] == "-" else fields[0]] = STATUSES[fields[1]]
        print("ok", flush=True)
    server.stop(0)


if __name__ == "__main__":
    main()

"""uvicorn's httptools protocol with TCP_NODELAY set on every accepted connection.

With --workers, uvicorn binds the listening socket itself as socket.socket(AF_INET), whose proto
is 0; asyncio only sets TCP_NODELAY on sockets whose proto is IPPROTO_TCP, so on the stock event
loop the headers and the body of a response go out as two small segments and Nagle holds the
second until the client's delayed ACK (about 40 ms). uvloop sets the option itself; this keeps the
peer fast on either loop.
"""
import socket

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class NoDelayHttpToolsProtocol(HttpToolsProtocol):
    def connection_made(self, transport):
        sock = transport.get_extra_info("socket")
        if sock is not None:
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass  # not a TCP socket (a Unix socket): nothing to delay
        super().connection_made(transport)

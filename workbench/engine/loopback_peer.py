"""Which process is at the other end of a loopback TCP connection (Linux /proc, no privileges needed
for one's own processes; root sees everyone's).

TCP carries no credentials (SO_PEERCRED is for Unix sockets only), and the Runtime API must be TCP
(AWS_LAMBDA_RUNTIME_API is host:port). So the kernel's socket table is asked instead for the peer's end
of the connection (local address = the peer's, remote = ours): its owner uid and its inode. The process
is then the one holding that inode among its open files, /proc/<pid>/fd/* -> "socket:[inode]".

The table is asked through sock_diag (netlink, the interface `ss` uses: linux/inet_diag.h), which
looks up one socket by its addresses in tens of microseconds; reading /proc/net/tcp, the fallback where
netlink is refused, makes the kernel print every socket and costs milliseconds. Measured by
scripts/bench_invoke.py: well under a millisecond in all when the caller names the likely processes
first (the environment's own); a scan of every process otherwise, only for a connection from elsewhere.
"""

from __future__ import annotations

import os
import socket
import struct
import sys
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class LoopbackPeer:
    """The socket's owner as the kernel records it; pid is None when no process holds it any more
    (or it belongs to one whose /proc entries we may not read: another user's, when we are not root)."""

    uid: int
    pid: int | None


def _ipv4_hex(address: str, port: int) -> str:
    # /proc/net/tcp prints the address as the native-endian integer of its network-order bytes.
    return f"{int.from_bytes(socket.inet_aton(address), sys.byteorder):08X}:{port:04X}"


def _ipv6_mapped_hex(address: str, port: int) -> str:
    # ::ffff:a.b.c.d, printed as four native-endian 32-bit words.
    packed = socket.inet_pton(socket.AF_INET6, "::ffff:" + address)
    words = "".join(f"{int.from_bytes(packed[i:i + 4], sys.byteorder):08X}" for i in range(0, 16, 4))
    return f"{words}:{port:04X}"


def _socket_row(table: str, local: str, remote: str) -> tuple[int, int] | None:
    """(uid, inode) of the socket whose local and remote addresses are these, from one /proc table."""
    try:
        with open(table) as f:
            text = f.read()
    except OSError:
        return None
    key = f" {local} {remote} "
    at = text.find(key)
    if at < 0:
        return None
    line = text[at:text.find("\n", at)].split()
    # sl local remote st tx:rx tr:when retrnsmt uid timeout inode; "sl" precedes the key.
    try:
        return int(line[6]), int(line[8])
    except (IndexError, ValueError):
        return None


_NETLINK_SOCK_DIAG = 4
_SOCK_DIAG_BY_FAMILY = 20
_NLM_F_REQUEST = 1
_NLMSG_ERROR = 2
_NO_COOKIE = 0xFFFFFFFF
_ALL_STATES = 0xFFFFFFFF
# struct nlmsghdr, then struct inet_diag_msg: family, state, timer, retrans, the 48-byte socket id,
# expires, rqueue, wqueue, uid, inode.
_NLMSG_HEADER = struct.Struct("=IHHII")
_DIAG_UID_INODE = struct.Struct("=II")
_DIAG_UID_OFFSET = _NLMSG_HEADER.size + 4 + 48 + 12


def _diag_query(theirs: tuple[str, int], ours: tuple[str, int]) -> tuple[int, int] | None:
    """(uid, inode) of the TCP socket whose local end is `theirs` and remote end `ours`, by an exact
    sock_diag lookup; None when there is no such socket; raises OSError when netlink is refused."""
    (src, sport), (dst, dport) = theirs, ours
    # struct inet_diag_req_v2 with its struct inet_diag_sockid (ports and addresses in network order).
    socket_id = (struct.pack("!HH", sport, dport) + socket.inet_aton(src) + bytes(12) + socket.inet_aton(dst)
                 + bytes(12) + struct.pack("=III", 0, _NO_COOKIE, _NO_COOKIE))
    request = struct.pack("=BBBBI", socket.AF_INET, socket.IPPROTO_TCP, 0, 0, _ALL_STATES) + socket_id
    header = _NLMSG_HEADER.pack(_NLMSG_HEADER.size + len(request), _SOCK_DIAG_BY_FAMILY, _NLM_F_REQUEST, 1, 0)
    with socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, _NETLINK_SOCK_DIAG) as netlink:
        netlink.settimeout(1.0)
        netlink.send(header + request)
        reply = netlink.recv(8192)
    kind = _NLMSG_HEADER.unpack_from(reply)[1]
    if kind == _NLMSG_ERROR or len(reply) < _DIAG_UID_OFFSET + _DIAG_UID_INODE.size:
        return None
    return _DIAG_UID_INODE.unpack_from(reply, _DIAG_UID_OFFSET)


def _socket_owner(theirs: tuple[str, int], ours: tuple[str, int]) -> tuple[int, int] | None:
    try:
        found = _diag_query(theirs, ours)
        if found is not None:
            return found
        # Not an IPv4 socket: a dual-stack IPv6 one connected to ::ffff:127.0.0.1 is in the tables below.
    except (OSError, AttributeError):  # no netlink here (AttributeError: no AF_NETLINK off Linux)
        pass
    row = _socket_row("/proc/net/tcp", _ipv4_hex(*theirs), _ipv4_hex(*ours))
    if row is None:
        row = _socket_row("/proc/net/tcp6", _ipv6_mapped_hex(*theirs), _ipv6_mapped_hex(*ours))
    return row


def _holds(pid: int, target: str) -> bool:
    folder = f"/proc/{pid}/fd"
    try:
        fds = os.listdir(folder)
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink(f"{folder}/{fd}") == target:
                return True
        except OSError:
            continue
    return False


def _all_pids() -> Iterable[int]:
    # Newest first: the process that just connected is more likely to be recent.
    return sorted((int(name) for name in os.listdir("/proc") if name.isdigit()), reverse=True)


def identify_peer(ours: tuple[str, int], theirs: tuple[str, int],
                  likely_pids: Iterable[int] = ()) -> LoopbackPeer | None:
    """The owner of the client end of the connection between `ours` (the server's address) and
    `theirs` (the client's), or None when the kernel has no such socket (it is gone already).

    `likely_pids` are looked at first; a process outside them is found by scanning all of /proc.
    """
    row = _socket_owner(theirs, ours)
    if row is None:
        return None
    uid, inode = row
    target = f"socket:[{inode}]"
    seen: set[int] = set()
    for pid in likely_pids:
        seen.add(pid)
        if _holds(pid, target):
            return LoopbackPeer(uid, pid)
    for pid in _all_pids():
        if pid not in seen and _holds(pid, target):
            return LoopbackPeer(uid, pid)
    return LoopbackPeer(uid, None)


def peer_uid(ours: tuple[str, int], theirs: tuple[str, int]) -> int | None:
    """Only the uid owning the client end (no process scan): enough to refuse other local users."""
    row = _socket_owner(theirs, ours)
    return None if row is None else row[0]

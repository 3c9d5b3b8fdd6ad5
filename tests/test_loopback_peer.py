"""Finding the process behind a loopback TCP connection, as the Runtime API does for each new one."""

import os
import socket
import subprocess
import sys

import pytest

from workbench.engine import loopback_peer
from workbench.engine.loopback_peer import identify_peer

CONNECTOR = """
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
print("connected", flush=True)
sys.stdin.read()
"""


@pytest.fixture
def connected_child():
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    child = subprocess.Popen([sys.executable, "-c", CONNECTOR, str(port)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    connection, address = listener.accept()
    assert child.stdout.readline() == "connected\n"
    yield child, ("127.0.0.1", port), address
    child.kill()
    child.wait()
    connection.close()
    listener.close()


def test_the_connecting_process_is_found_named_first_or_by_scanning(connected_child):
    child, ours, theirs = connected_child
    for likely in ([child.pid], [], [os.getpid(), child.pid]):
        peer = identify_peer(ours, theirs, likely)
        assert (peer.pid, peer.uid) == (child.pid, os.getuid()), likely


def test_without_netlink_the_proc_table_gives_the_same_answer(connected_child, monkeypatch):
    """Where sock_diag is refused, /proc/net/tcp is read instead."""
    child, ours, theirs = connected_child

    def refused(*args):
        raise PermissionError("netlink refused")

    monkeypatch.setattr(loopback_peer, "_diag_query", refused)
    assert identify_peer(ours, theirs).pid == child.pid


def test_a_connection_whose_process_is_gone_has_no_pid(connected_child):
    """The client end closed with its process: the kernel may still list the socket, but nobody holds it."""
    child, ours, theirs = connected_child
    child.kill()
    child.wait()
    peer = identify_peer(ours, theirs, [child.pid])
    assert peer is None or peer.pid is None


def test_a_dual_stack_ipv6_client_is_found_too():
    """A client on an IPv6 socket connected to ::ffff:127.0.0.1 (a dual-stack default) is identified."""
    if not socket.has_ipv6:
        pytest.skip("no IPv6 here")
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    client = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    try:
        client.connect(("::ffff:127.0.0.1", port))
    except OSError as error:
        pytest.skip(f"IPv4-mapped addresses are not usable here: {error}")
    connection, address = listener.accept()
    try:
        assert identify_peer(("127.0.0.1", port), address, [os.getpid()]).pid == os.getpid()
    finally:
        client.close()
        connection.close()
        listener.close()


def test_peer_uid_and_the_same_user_rule_over_ipv4_and_ipv6():
    """peer_uid names our own uid for our own connection, on 127.0.0.1 and on ::1; an address with no
    local socket (a caller from elsewhere) has none and is refused by other_user_refusal."""
    families = [("127.0.0.1", socket.AF_INET)]
    if socket.has_ipv6:
        families.append(("::1", socket.AF_INET6))
    for host, family in families:
        try:
            listener = socket.create_server((host, 0), family=family)
        except OSError as error:
            assert family == socket.AF_INET6, error
            continue
        client = socket.create_connection(listener.getsockname()[:2])
        connection, address = listener.accept()
        try:
            ours = connection.getsockname()
            assert loopback_peer.peer_uid(ours, address) == os.getuid(), host
            assert loopback_peer.other_user_refusal(ours, address) is None
        finally:
            client.close()
            connection.close()
            listener.close()
    refusal = loopback_peer.other_user_refusal(("127.0.0.1", 3001), ("192.0.2.7", 40000))
    assert refusal == "the caller at 192.0.2.7 is not a process on this machine"

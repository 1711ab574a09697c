"""The platform's server processes on this machine, found by the ports they listen on (a forked instance's
command line is its parent's), for the checks on connections, open files and memory."""

from __future__ import annotations

from urllib.parse import urlsplit

import psutil


def platform_processes(instance_urls: list[str]) -> list[psutil.Process]:
    """This stack's platform servers: the processes listening on its platform ports on this machine (not any
    other stack's, which may be running at the same time), however they were started."""
    ports = {urlsplit(url).port for url in instance_urls}
    pids = {
        connection.pid
        for connection in psutil.net_connections(kind="tcp")
        if connection.status == psutil.CONN_LISTEN and connection.laddr and connection.laddr.port in ports
    }
    return [psutil.Process(pid) for pid in sorted(pid for pid in pids if pid)]

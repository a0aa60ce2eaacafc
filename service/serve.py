"""`demarche serve`: gunicorn in front of the app factory.

The database is prepared once, in the master, before any worker forks; each
worker then opens its own pool (pools must never cross a fork)."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

from service.extraction import Lexicon
from service.settings import Settings


class DemarcheServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, settings: Settings, database_url: str, lexicon: Lexicon) -> None:
        self.settings = settings
        self.database_url = database_url
        self.lexicon = lexicon
        super().__init__()

    def load_config(self) -> None:
        s = self.settings
        options: dict[str, Any] = {
            "bind": f"{s.host}:{s.port}",
            "workers": s.workers,
            "worker_class": "gthread",
            "threads": 4,
            "preload_app": False,
            "timeout": 60,
            "graceful_timeout": 20,
            "accesslog": None,  # the app logs each request as JSON, with its id
            "errorlog": "-",
            "child_exit": _child_exit,
            "loglevel": s.log_level.lower(),
            "proc_name": "demarche",
        }
        if "control_socket_disable" in self.cfg.settings:  # gunicorn >= 25.1
            # its control socket is one path per user ($HOME/.gunicorn/gunicorn.ctl):
            # servers on one host would take it from each other; Demarche does not use it
            options["control_socket_disable"] = True
        for key, value in options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from service.app import create_app
        from service.runtime import open_runtime

        runtime = open_runtime(self.settings, self.database_url, self.lexicon)
        return create_app(self.settings, runtime=runtime)


def _child_exit(server: Any, worker: Any) -> None:
    """A dead worker's live gauges must stop counting (prometheus multiprocess mode)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]

"""The Redis transport, with a guard around kombu 5.7.0's crash after a lost connection (docs/jobs.md).

When Redis drops, Celery's consumer first collects the broken connection
(`Connection.collect()`, which leaves the transport without its client) and then
closes it; closing a channel gives back the messages it holds unacknowledged (an
eta message in the timer, a job running with acks_late), and that needs the
client: `redis.Channel._connparams` reads `self.connection.client.hostname` and
the worker exits with "Unrecoverable error: AttributeError … 'hostname'"
(celery 5.7.0 consumer.py `on_connection_error_after_connected`, kombu 5.7.0
`virtual.base.Channel.close` → `QoS.restore_unacked_once`). No later release was
available to pin. Here the give-back is skipped when the client is gone: the
messages stay in Redis's unacked set and Redis redelivers them after the
visibility timeout (PARPLAN_JOB_VISIBILITY_SECONDS); the worker reconnects.
"""

from __future__ import annotations

import logging
from typing import Any

from kombu.transport import redis

log = logging.getLogger(__name__)


class QoS(redis.QoS):
    def restore_unacked_once(self, stderr: Any = None) -> Any:
        transport = getattr(self.channel, "connection", None)
        if transport is None or transport.client is None:
            log.warning(
                "Connection lost: %d unacknowledged message(s) left for redelivery after the visibility timeout.",
                len(self._delivered or ()),
            )
            return None
        return super().restore_unacked_once(stderr)


class Channel(redis.Channel):
    QoS = QoS


class Transport(redis.Transport):
    Channel = Channel

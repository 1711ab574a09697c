"""The only place that builds concrete adapters from the settings."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import redis
import redis.asyncio as aioredis
from redis.asyncio.retry import Retry as AsyncRetry
from redis.backoff import ExponentialBackoff
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool, QueuePool

from app.adapters.analytics_store import AnalyticsStore
from app.adapters.circuit_breaker import CircuitBreaker
from app.adapters.company_cache import CompanyCache
from app.adapters.counted_pools import counting_waits
from app.adapters.credentials import TokenSigner
from app.adapters.event_fanout import EventFanOut
from app.adapters.event_stream import EventStream, NotificationFeed
from app.adapters.model_client import ModelClient
from app.adapters.open_connections import OpenConnections
from app.adapters.outbox import OutboxSender
from app.adapters.payment_gateway import CardProcessor, OnTheLoop, PaymentGateway
from app.adapters.rate_limiter import RunRateLimiter
from app.adapters.sign_in_throttle import SignInThrottle
from app.adapters.tenancy_repository import company_data_version
from app.adapters.unit_of_work import AsyncUnitOfWork, UnitOfWorkFactory, async_unit_of_work, sql_unit_of_work
from app.adapters.wake import Wakes
from app.config import Settings
from app.domain.conversation_memory import Memory
from app.service_layer.agent_runtime import AgentRuntime


# What makes an asyncio Redis client reconnect by itself after Redis restarts: a dead pooled connection's command
# (or its health check) is tried again on a new one. redis-py 8's asyncio client does not by default: its first
# command after a restart fails ("Connection closed by server").
def reconnect_retry() -> AsyncRetry:
    """Three more tries, backing off up to a second, on Redis's connection errors and time-outs (the errors a
    retry takes by default)."""
    return AsyncRetry(ExponentialBackoff(cap=1.0), 3)


def live_events_client(url: str) -> aioredis.Redis:
    """The fan-out's own client: its subscription waits for messages for as long as it takes (no read time-out),
    and its notices to the other instances (a cancellation, a settings reload) reconnect after a Redis restart."""
    return aioredis.Redis.from_url(url, socket_connect_timeout=1, health_check_interval=10, retry=reconnect_retry())


@dataclass
class Platform:
    settings: Settings
    engine: Engine
    uow: UnitOfWorkFactory
    async_engine: AsyncEngine
    aio: AsyncUnitOfWork
    payments_engine: AsyncEngine  # the payments' own asyncio pool (``payments_aio``)
    payments_aio: AsyncUnitOfWork
    redis: redis.Redis
    cache: CompanyCache
    payments: PaymentGateway
    payments_on_loop: CardProcessor  # the same gateway, for use-case code run on the loop (it awaits the processor)
    tokens: TokenSigner
    model: ModelClient
    events: EventStream
    fanout: EventFanOut
    feed: NotificationFeed
    mail: OutboxSender | None
    wakes: Wakes  # this instance's mail sender and analytics ingester, woken when work is committed for them
    analytics: AnalyticsStore | None
    assistant: AgentRuntime
    async_redis: aioredis.Redis
    sign_in_throttle: SignInThrottle
    open_connections: OpenConnections  # the assistant connections each person holds open here

    def close(self) -> None:
        if self.analytics is not None:
            self.analytics.close()
        self.engine.dispose()
        self.redis.close()

    async def astart(self) -> None:
        """Starts what runs on the event loop: the live event subscription and the run-lease renewal."""
        await self.fanout.start()
        await self.assistant.start_background()

    async def aclose(self) -> None:
        unfinished = await self.assistant.close(grace_seconds=self.settings.shutdown_grace_seconds)
        if unfinished:
            logging.getLogger("app.shutdown").warning(
                "%d assistant runs had not ended when the grace ran out", unfinished
            )
        await self.fanout.close()
        await self.model.aclose()
        await self.payments.aclose()
        await self.async_engine.dispose()
        await self.payments_engine.dispose()
        await self.async_redis.aclose()


COMPANY_ROLE = "platform_app"  # the role the database's company policies apply to (migration 0011)
NO_STATEMENT_LIMIT = 0  # PostgreSQL's statement_timeout for none
# Every connection reads and groups moments in UTC (a month's revenue, a day's activity), whatever zone the
# database server was given: its default is the server's, often the local time of wherever it was installed.
DATABASE_TIME_ZONE = "UTC"


SERVER_ENDED_IT = frozenset({"57P01", "57P02", "57P03"})  # admin_shutdown (a terminate), crash_shutdown, cannot_connect


def _ended_by_the_server_is_dead(context: ExceptionContext) -> None:
    """A connection the server ended (an operator's terminate, a shutdown) is dead, as one found closed is: the pool
    is renewed and the unit of work tries once more. asyncpg raises the server's goodbye before it marks its
    connection closed, and SQLAlchemy asks only the latter, so it took such a connection for alive (a race)."""
    if getattr(context.original_exception, "sqlstate", None) in SERVER_ENDED_IT:
        context.is_disconnect = True


def _asyncio_engine(settings: Settings, pool_size: int, pool_timeout: float, statement_timeout_ms: int) -> AsyncEngine:
    """An engine over asyncpg whose connections act for the company role, with PostgreSQL's statement limit set as
    they open (0: none)."""
    engine = create_async_engine(
        settings.sqlalchemy_url.replace("+psycopg", "+asyncpg", 1),
        pool_size=pool_size,
        max_overflow=0,
        pool_timeout=pool_timeout,
        poolclass=counting_waits(AsyncAdaptedQueuePool),
        hide_parameters=True,  # a refused write is logged: never with a password hash or a card token it carried
        connect_args={
            "timeout": settings.db_connect_timeout_seconds,
            "server_settings": {
                "application_name": "platform",
                "statement_timeout": str(statement_timeout_ms),
                "role": COMPANY_ROLE,
                "timezone": DATABASE_TIME_ZONE,
            },
        },
    )
    event.listen(engine.sync_engine, "handle_error", _ended_by_the_server_is_dead)
    return engine


def bootstrap(settings: Settings) -> Platform:
    # Pre-ping: a connection the server dropped (terminated, restarted) is replaced at checkout, so the
    # platform recovers by itself; a full pool makes a request wait pool_timeout, then answer 503.
    engine = create_engine(
        settings.sqlalchemy_url,
        pool_size=settings.db_pool_size,
        max_overflow=0,
        pool_timeout=settings.db_pool_timeout_seconds,
        pool_pre_ping=True,
        poolclass=counting_waits(QueuePool),
        hide_parameters=True,  # a refused write is logged: never with a password hash or a card token it carried
        connect_args={
            "application_name": "platform",
            "options": f"-c role={COMPANY_ROLE} -c timezone={DATABASE_TIME_ZONE}",
            "connect_timeout": settings.db_connect_timeout_seconds,
        },
    )
    # No pre-ping on the hot path's pool: a dead connection is found when used, and the unit of work tries
    # again on a fresh one (``async_unit_of_work``).
    async_engine = _asyncio_engine(
        settings,
        settings.db_async_pool_size,
        settings.db_async_pool_timeout_seconds,
        settings.db_async_statement_timeout_ms,
    )
    # A pool of its own for the writes that hold their connection while the payment processor answers: a slow
    # processor takes these, never the connections every other request and the assistant need (a bulkhead). Their
    # statements have no time limit, as on the blocking pool: a payment waits for the invoice another one holds
    # while that one's charge is with the processor (bounded by the processor's time-out and retries).
    payments_engine = _asyncio_engine(
        settings, settings.db_payments_pool_size, settings.db_pool_timeout_seconds, NO_STATEMENT_LIMIT
    )
    client = redis.Redis.from_url(
        str(settings.redis_url), socket_timeout=1, socket_connect_timeout=1, health_check_interval=2
    )
    cache = CompanyCache(
        client,
        ttl_seconds=settings.report_cache_seconds,
        data_version=lambda company_id: company_data_version(engine, company_id),
    )
    # A blocking pool: a burst waits for a free connection instead of failing. Followers share one
    # reader (EventFanOut), so connections scale with work in flight, not with open sockets.
    # After a Redis restart every pooled connection is dead: a health check before reusing one that sat
    # idle, a read time-out and retries on connection errors make the platform reconnect by itself.
    async_client = aioredis.Redis(
        connection_pool=aioredis.BlockingConnectionPool.from_url(
            str(settings.redis_url),
            max_connections=settings.redis_async_pool_size,
            timeout=20,
            socket_connect_timeout=1,
            socket_timeout=10,
            health_check_interval=2,
            retry=reconnect_retry(),
        )
    )
    feed = NotificationFeed(client, async_client)
    wakes = Wakes()
    uow = sql_unit_of_work(engine, feed=feed, wakes=wakes)
    aio = async_unit_of_work(
        async_engine,
        feed=feed,
        wakes=wakes,
        default_statement_timeout_ms=settings.db_async_statement_timeout_ms,
    )
    payments_aio = async_unit_of_work(
        payments_engine,
        feed=feed,
        wakes=wakes,
        default_statement_timeout_ms=NO_STATEMENT_LIMIT,
        pool="payments",
    )

    def breaker(name: str) -> CircuitBreaker:
        return CircuitBreaker(
            client,
            name,
            threshold=settings.breaker_failure_threshold,
            reset_seconds=settings.breaker_reset_seconds,
            async_client=async_client,
        )

    payments = PaymentGateway(
        str(settings.payment_processor_url),
        timeout_seconds=settings.payment_timeout_seconds,
        breaker=breaker("payment_processor"),
    )
    model = ModelClient(
        str(settings.model_url),
        model=settings.model_name,
        timeout_seconds=settings.model_timeout_seconds,
        breaker=breaker("model"),
        max_connections=settings.assistant_max_running_runs,
    )
    events = EventStream(async_client, retention_seconds=settings.assistant_event_retention_seconds)
    subscriber = live_events_client(str(settings.redis_url))
    fanout = EventFanOut(subscriber, events, quiet_seconds=settings.assistant_run_lease_seconds / 5)
    tokens = TokenSigner(
        settings.token_secret,
        ttl_seconds=settings.token_ttl_seconds,
        previous_secrets=settings.previous_token_secrets,
    )
    assistant = AgentRuntime(
        aio,
        model,
        events,
        fanout,
        RunRateLimiter(async_client),
        tokens,
        max_running=settings.assistant_max_running_runs,
        max_waiting=settings.assistant_max_waiting_runs,
        lease_seconds=settings.assistant_run_lease_seconds,
        accept_within_s=settings.assistant_accept_within_seconds,
        max_tool_calls=settings.assistant_max_tool_calls_per_run,
        tool_calls_per_minute=settings.assistant_tool_calls_per_minute,
        memory=Memory(settings.assistant_memory_messages, settings.assistant_memory_characters),
        runs_at_once_per_person=settings.assistant_runs_at_once_per_person,
    )
    return Platform(
        settings=settings,
        engine=engine,
        uow=uow,
        async_engine=async_engine,
        aio=aio,
        payments_engine=payments_engine,
        payments_aio=payments_aio,
        redis=client,
        cache=cache,
        payments=payments,
        payments_on_loop=OnTheLoop(payments),
        tokens=tokens,
        model=model,
        events=events,
        fanout=fanout,
        feed=feed,
        mail=(
            OutboxSender(engine, settings.smtp_url, sender=settings.mail_from, pushed=feed.publish)
            if settings.smtp_url
            else None
        ),
        wakes=wakes,
        analytics=AnalyticsStore(str(settings.analytics_url)) if settings.analytics_url else None,
        assistant=assistant,
        async_redis=async_client,
        sign_in_throttle=SignInThrottle(
            client,
            per_account=settings.sign_in_failures_per_account,
            per_source=settings.sign_in_failures_per_source,
            window_seconds=settings.sign_in_window_seconds,
        ),
        open_connections=OpenConnections(settings.assistant_connections_per_person),
    )

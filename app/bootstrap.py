"""The only place that builds concrete adapters from the settings."""

from __future__ import annotations

from dataclasses import dataclass

import redis
from sqlalchemy import Engine, create_engine

from app.adapters.credentials import TokenSigner
from app.adapters.payment_gateway import PaymentGateway
from app.adapters.tenant_cache import TenantCache
from app.adapters.unit_of_work import UnitOfWorkFactory, sql_unit_of_work
from app.config import Settings


@dataclass
class Platform:
    settings: Settings
    engine: Engine
    uow: UnitOfWorkFactory
    redis: redis.Redis
    cache: TenantCache
    payments: PaymentGateway
    tokens: TokenSigner

    def close(self) -> None:
        self.engine.dispose()
        self.redis.close()


def bootstrap(settings: Settings) -> Platform:
    engine = create_engine(settings.sqlalchemy_url, pool_size=settings.db_pool_size, max_overflow=0,
                           pool_timeout=10)  # no pre-ping: a dropped connection is invalidated when it fails
    client = redis.Redis.from_url(str(settings.redis_url), socket_timeout=1, socket_connect_timeout=1)
    cache = TenantCache(client, ttl_seconds=settings.report_cache_seconds)
    return Platform(
        settings=settings,
        engine=engine,
        uow=sql_unit_of_work(engine, after_commit=cache.invalidate),
        redis=client,
        cache=cache,
        payments=PaymentGateway(str(settings.payment_processor_url),
                                timeout_seconds=settings.payment_timeout_seconds),
        tokens=TokenSigner(settings.token_secret, ttl_seconds=settings.token_ttl_seconds),
    )

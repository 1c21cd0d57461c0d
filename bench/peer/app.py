"""The peer: the two benchmarked reads as a FastAPI + asyncpg service, the original stack.

Same schema, same SQL (queries.py), same bearer-key semantics and the same JSON bodies as the
engine's GET /v1/agents/{id} and GET /v1/conversations, so a load generator cannot tell the two
apart by what they answer. Run it with serve.py (two uvicorn workers, TCP_NODELAY, uvloop).

Environment: PEER_DATABASE_URL (postgresql://...), PEER_POOL_SIZE (connections per worker),
PEER_AUTH_CACHE_SECONDS (60, as the engine's auth.cacheSeconds), PEER_LIST_MODE
(concurrent, the default: page and total at once on two connections, as the engine does;
sequential: one after the other on one connection), PEER_POOL_RESET (0, the default: a
connection goes back to the pool as it is; 1: asyncpg's stock reset, one more round trip per
request; see _QuietConnection).
"""
import asyncio
import hashlib
import hmac
import json
import os
import time
from datetime import timezone

import asyncpg
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import Response

import queries

CACHE_SECONDS = float(os.environ.get("PEER_AUTH_CACHE_SECONDS", "60"))
TOUCH_SECONDS = 60.0
LIST_MODE = os.environ.get("PEER_LIST_MODE", "concurrent")
POOL_RESET = os.environ.get("PEER_POOL_RESET", "0") == "1"

app = FastAPI()
pool: asyncpg.Pool = None
# key hash -> [account id, key id, loaded at, touched at]; one per worker, as the engine's
# cache is one per node
key_cache = {}


async def _init_connection(connection):
    # jsonb as parsed JSON (the engine answers metadata as an object, not a string)
    await connection.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads,
                                    schema="pg_catalog")


class _QuietConnection(asyncpg.Connection):
    """A connection released to the pool without asyncpg's reset ("SELECT
    pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL;", a round trip on every
    release). These handlers leave no session state behind (no locks, cursors, LISTEN or SET),
    so the reset does nothing here; newer asyncpg versions offer create_pool(reset=...) for it.
    """

    def _get_reset_query(self):
        return ""


@app.on_event("startup")
async def _open_pool():
    global pool
    size = int(os.environ.get("PEER_POOL_SIZE", "8"))
    pool = await asyncpg.create_pool(os.environ["PEER_DATABASE_URL"], min_size=size,
                                     max_size=size, init=_init_connection,
                                     connection_class=(asyncpg.Connection if POOL_RESET
                                                       else _QuietConnection))


@app.on_event("shutdown")
async def _close_pool():
    await pool.close()


def _json(body, status=200):
    # compact UTF-8, keys in insertion order: byte for byte what the engine's Jackson writes
    return Response(json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode(),
                    status_code=status, media_type="application/json")


def _wire_time(value):
    """ISO-8601 in UTC as Java's ISO_OFFSET_DATE_TIME writes it: no fraction when zero,
    else trailing zeros dropped, and Z."""
    if value is None:
        return None
    if value.utcoffset():
        value = value.astimezone(timezone.utc)
    # isoformat, several times faster than strftime: "...T08:35:55[.652200]+00:00"; it leaves
    # the fraction out when it is zero, and one that is there keeps a non-zero digit
    text = value.isoformat()[:-6]
    if value.microsecond:
        text = text.rstrip("0")
    return text + "Z"


class Caller:
    __slots__ = ("account_id", "key_id")

    def __init__(self, account_id, key_id):
        self.account_id = account_id
        self.key_id = key_id


def _unauthorized(detail):
    return HTTPException(401, detail, headers={"WWW-Authenticate": "Bearer"})


async def authenticate(request: Request) -> Caller:
    """Bearer key -> SHA-256 -> api_keys row, then served from the cache for CACHE_SECONDS."""
    header = request.headers.get("authorization")
    if header is None or len(header) <= 7 or header[:7].lower() != "bearer ":
        raise _unauthorized("Not authenticated")
    key_hash = hashlib.sha256(header[7:].strip().encode()).hexdigest()
    now = time.monotonic()
    cached = key_cache.get(key_hash)
    if cached is not None and now - cached[2] < CACHE_SECONDS:
        if now - cached[3] > TOUCH_SECONDS:
            cached[3] = now
            asyncio.get_running_loop().create_task(pool.execute(queries.TOUCH_SQL, cached[1]))
        return Caller(cached[0], cached[1])
    row = await pool.fetchrow(queries.KEY_SQL, key_hash)
    if row is None or not hmac.compare_digest(row["key_hash"], key_hash):
        key_cache.pop(key_hash, None)
        raise _unauthorized("Invalid API key")
    loaded = time.monotonic()
    key_cache[key_hash] = [row["account_id"], row["id"], loaded, loaded]
    return Caller(row["account_id"], row["id"])


def _agent(row, numbers):
    # agents/AgentWrites.toJson with VoiceSettings.show, field for field
    agent = {
        "id": row["id"],
        "name": row["name"],
        "description": row["description"],
        "voiceMode": row["voice_mode"],
        "modelTier": row["model_tier"],
        "systemPrompt": row["system_prompt"],
        "beginMessage": row["begin_message"],
        "voice": row["voice"],
        "transferNumber": row["transfer_number"],
        "voicemailMessage": row["voicemail_message"],
        "sttMode": row["stt_mode"],
    }
    for field, column in queries.VOICE_FIELDS:
        agent[field] = row[column]
    agent["createdAt"] = _wire_time(row["created_at"])
    agent["numbers"] = [{"id": n["id"], "phoneNumber": n["phone_number"], "status": n["status"],
                         "type": n["type"]} for n in numbers]
    return agent


@app.get("/v1/agents/{agent_id}")
async def get_agent(agent_id: str, caller: Caller = Depends(authenticate)):
    async with pool.acquire() as connection:
        row = await connection.fetchrow(queries.AGENT_SQL, caller.account_id, agent_id)
        if row is None:
            return _json({"detail": "Agent not found"}, 404)
        numbers = await connection.fetch(queries.NUMBERS_SQL, caller.account_id, [row["id"]])
    return _json(_agent(row, numbers))


def _summary(row, number):
    # conversations/ConversationList.summary, field for field
    metadata = row["metadata"]
    group = row["is_group"]
    return {
        "id": row["id"],
        "agentId": number["agent_id"] if number else None,
        "phoneNumberId": row["phone_number_id"],
        "phoneNumber": number["phone_number"] if number else None,
        "participant": row["participant"],
        "isGroup": group,
        "groupId": row["participant"] if group else None,
        "groupName": row["group_name"],
        "groupIconUrl": row["group_icon_url"],
        "participants": row["participants"] if group else None,
        "lastMessageAt": _wire_time(row["last_message_at"]),
        "lastMessagePreview": row["last_message_preview"],
        "messageCount": row["message_count"],
        "metadata": metadata if isinstance(metadata, dict) else None,
        "createdAt": _wire_time(row["created_at"]),
    }


async def _page_and_total(account_id, limit, offset):
    if LIST_MODE == "concurrent":
        return await asyncio.gather(pool.fetch(queries.PAGE_SQL, account_id, None, limit, offset),
                                    pool.fetchval(queries.TOTAL_SQL, account_id, None))
    async with pool.acquire() as connection:
        page = await connection.fetch(queries.PAGE_SQL, account_id, None, limit, offset)
        total = await connection.fetchval(queries.TOTAL_SQL, account_id, None)
    return page, total


@app.get("/v1/conversations")
async def list_conversations(limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0),
                             caller: Caller = Depends(authenticate)):
    page, total = await _page_and_total(caller.account_id, limit, offset)
    numbers = {}
    if page:
        # the page's numbers with their agents, as the engine reads them (NumberReads.summaries)
        ids = list({row["phone_number_id"] for row in page})
        numbers = {n["id"]: n for n in await pool.fetch(queries.SUMMARIES_SQL, caller.account_id,
                                                          ids)}
    data = [_summary(row, numbers.get(row["phone_number_id"])) for row in page]
    return _json({"data": data, "hasMore": offset + len(data) < total, "total": total})

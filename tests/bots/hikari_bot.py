"""A hikari bot driven by the integration tests against a real spot server (hikari[zstd]: it asks for
compress=zstd-stream and sends its own frames as binary).

Usage: SPOT_URL=http://127.0.0.1:PORT SPOT_BOT_TOKEN=... python hikari_bot.py
Prints one JSON object per line for each step; the Rust test reads them and checks the server's side.
"""

import asyncio
import json
import os
import sys
import time

import hikari

BASE = os.environ["SPOT_URL"].rstrip("/")


def report(key, value=None):
    print(json.dumps({key: value}), flush=True)


bot = hikari.GatewayBot(
    os.environ["SPOT_BOT_TOKEN"],
    rest_url=BASE + "/api/v10",
    intents=hikari.Intents.ALL_UNPRIVILEGED | hikari.Intents.MESSAGE_CONTENT | hikari.Intents.GUILD_MEMBERS,
    banner=None,
    suppress_optimization_warning=True,
)
state = {"phase": "start", "events": asyncio.Queue(), "resumed": asyncio.Event(), "gap_seen": asyncio.Event()}


async def next_event(kind, predicate, timeout=20):
    deadline = time.monotonic() + timeout
    while True:
        event = await asyncio.wait_for(state["events"].get(), max(0.1, deadline - time.monotonic()))
        if isinstance(event, kind) and predicate(event):
            return event


@bot.listen(hikari.GuildAvailableEvent)
async def on_guild(event):
    if state["phase"] != "start":
        return
    state["phase"] = "phase1"
    try:
        await first_phase(event.guild, event.shard)
    except Exception as error:  # reported: the test fails on it
        report("error", repr(error))
        await bot.close()


async def first_phase(guild, shard):
    me = bot.get_me()
    channels = guild.get_channels().values()
    report("ready", {
        "user": me.username, "guild": guild.name, "channels": sorted(c.name for c in channels),
        "compression": str(shard._compression),
    })
    general = next(c for c in channels if c.name == "general")
    rest = bot.rest

    message = await rest.create_message(general.id, "hello from hikari")
    created = await next_event(hikari.GuildMessageCreateEvent, lambda e: e.message_id == message.id)
    edited = await rest.edit_message(general.id, message.id, "edited by hikari")
    updated = await next_event(hikari.GuildMessageUpdateEvent, lambda e: e.message_id == message.id)
    await rest.add_reaction(general.id, message.id, "\N{THUMBS UP SIGN}")
    reacted = await next_event(hikari.GuildReactionAddEvent, lambda e: e.message_id == message.id)

    upload = await rest.create_message(general.id, "a file", attachment=hikari.Bytes(b"hello hikari", "hello.txt"))
    downloaded = await upload.attachments[0].read()

    thread = await rest.create_message_thread(general.id, message.id, "hikari thread")
    in_thread = await rest.create_message(thread.id, "in the thread")

    history = [m.content async for m in rest.fetch_messages(general.id).limit(10)]
    members = sorted([m.username async for m in rest.fetch_members(guild.id)])

    doomed = await rest.create_message(general.id, "to be deleted")
    await rest.delete_message(general.id, doomed.id)
    deleted = await next_event(hikari.GuildMessageDeleteEvent, lambda e: e.message_id == doomed.id)

    report("phase1", {
        "channel": str(general.id), "message": str(message.id), "created_seen": created.content,
        "edited": edited.content, "updated_seen": updated.message.content, "reaction": str(reacted.emoji_name),
        "attachment": upload.attachments[0].filename, "attachment_bytes": downloaded.decode(),
        "thread": str(thread.id), "thread_parent": str(thread.parent_id), "thread_message": in_thread.content,
        "history": history, "members": members, "deleted_seen": str(deleted.message_id),
    })

    # Twenty sends against the route limit: hikari paces itself from the headers or backs off from 429s.
    started = time.monotonic()
    await asyncio.gather(*(rest.create_message(general.id, f"burst {i}") for i in range(20)))
    report("burst", {"seconds": time.monotonic() - started})

    # Make the server drop the socket: a frame that is not JSON is closed with 4002 (decode error), which hikari
    # resumes from (it treats 4001, unknown opcode, as its own bug and gives up).
    state["phase"] = "resuming"
    await shard._ws._ws.send_bytes(b"not json")
    await rest.create_message(general.id, "sent during the gap")
    await asyncio.wait_for(state["resumed"].wait(), 30)
    await asyncio.wait_for(state["gap_seen"].wait(), 30)
    report("resumed", {"gap_message_seen": True})
    await bot.close()


@bot.listen(hikari.Event)
async def on_any(event):
    if isinstance(event, hikari.GuildMessageCreateEvent) and event.content == "sent during the gap":
        state["gap_seen"].set()
    if isinstance(event, hikari.ShardResumedEvent):
        state["resumed"].set()
    state["events"].put_nowait(event)


try:
    bot.run(close_loop=False, check_for_updates=False, enable_signal_handlers=False)
    report("done", True)
except Exception as error:  # reported, not swallowed: the test fails on it
    report("error", repr(error))
    sys.exit(1)

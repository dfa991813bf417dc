"""A hikari 2.7.0 bot for the interaction / webhook matrix (issue 21), driven by the integration tests.

Usage: SPOT_URL=http://127.0.0.1:PORT SPOT_BOT_TOKEN=... SPOT_GUILD_ID=<home guild> SPOT_CHANNEL_ID=<#general>
       python hikari_slash_bot.py
Prints one JSON object per line, as dpy_slash_bot.py does (ready, webhook, handled, error, stopped); the commands,
answers and the webhook post are the same (see its header). Ends on a {"stop": true} line or EOF on stdin when stdin
is a pipe; otherwise after SPOT_BOT_LIFETIME seconds (default 300).

How hikari does it: rest.set_application_commands(app, builders, guild) -> PUT
/applications/{app}/guilds/{guild}/commands; interactions arrive as InteractionCreateEvent; answers through
interaction.create_initial_response / create_modal_response / AutocompleteInteraction.create_response,
edit_initial_response, and interaction.execute() for the follow-up. The webhook is created with
rest.create_webhook(channel, "ci") and executed with a token-less REST client from hikari.RESTApp(url=rest_url)
(execute_webhook(id, token, ...)). hikari neither parses nor builds webhook URLs: it only knows (id, token), so
"url" in the report is built by this script from SPOT_URL.

What spot must send / accept for hikari 2.7.0 (read from hikari/impl/entity_factory.py and impl/rest.py):
  * Every interaction callback is POST /interactions/{id}/{token}/callback?with_response=true (the literal "true"),
    no Authorization, including autocomplete and modal; the library asserts the reply is a JSON object and reads
    {"interaction": {"id", "type", "response_message_id"?, "activity_instance_id"?, "response_message_loading"?,
    "response_message_ephemeral"?}, "resource"?: {"type", "message"?, "activity_instance"?}} -- a 204 fails
    (AssertionError). Keys inside "resource" must be absent rather than null ("message": null or
    "activity_instance": null is dereferenced).
  * INTERACTION_CREATE, KeyError if missing: id, type, application_id, token, version, locale, app_permissions,
    context (int), attachment_size_limit, authorizing_integration_owners (object), channel (object: id, type;
    name, permissions, parent_id optional), data.id and data.name for commands (data.options required for
    autocomplete), data.custom_id / data.component_type / message for components, data.custom_id /
    data.components for modals; member: user, roles, joined_at, permissions (string) -- also for members in
    data.resolved.members (each needs permissions and joined_at; its user comes from resolved.users).
  * Message components: EVERY component of a message (action row, button, select ...) and of a modal submit must
    carry its numeric "id" (Discord numbers them 1, 2, 3 ... in every message it returns): hikari reads
    payload["id"] unguarded, so a message with components but no ids fails to deserialize (callback response
    resource, INTERACTION_CREATE's message, MESSAGE_CREATE, fetch). Modal submit: top-level rows must be type 1
    with "id"; a type 18 label is skipped (hikari 2.7.0 does not know it), each text input needs id, custom_id,
    value.
  * Follow-up: POST /webhooks/{app}/{token}?wait=true&with_components=true; webhook execute likewise.
    edit_initial_response: PATCH /webhooks/{app}/{token}/messages/@original.
"""

import asyncio
import json
import os
import stat
import sys
import threading

import hikari

BASE = os.environ["SPOT_URL"].rstrip("/")
REST_URL = BASE + "/api/v10"
GUILD_ID = int(os.environ["SPOT_GUILD_ID"])
CHANNEL_ID = int(os.environ["SPOT_CHANNEL_ID"])
LIFETIME = float(os.environ.get("SPOT_BOT_LIFETIME", "300"))
FRUITS = ["apple", "apricot", "banana", "cherry"]


def report(key, value=None):
    print(json.dumps({key: value}), flush=True)


def fail(error):
    report("error", repr(error))


bot = hikari.GatewayBot(
    os.environ["SPOT_BOT_TOKEN"],
    rest_url=REST_URL,
    intents=hikari.Intents.GUILDS,
    banner=None,
    suppress_optimization_warning=True,
)
state = {"started": False, "handled": 0, "stopping": False}


def handled(interaction, name, **extra):
    state["handled"] += 1
    report("handled", {"name": name, "type": int(interaction.type), "user": interaction.user.username, **extra})


def commands():
    rest = bot.rest
    string, boolean = hikari.OptionType.STRING, hikari.OptionType.BOOLEAN
    return [
        rest.slash_command_builder("echo", "Says the text back")
        .add_option(hikari.CommandOption(type=string, name="text", description="What to say", is_required=True))
        .add_option(hikari.CommandOption(type=boolean, name="loud", description="Shout it")),
        rest.slash_command_builder("pick", "Picks a fruit").add_option(
            hikari.CommandOption(type=string, name="fruit", description="A fruit", is_required=True, autocomplete=True)
        ),
        rest.slash_command_builder("slow", "Answers after a while"),
        rest.slash_command_builder("secret", "Only you see the answer"),
        rest.slash_command_builder("buttons", "Shows a button and a menu"),
        rest.slash_command_builder("form", "Asks for feedback"),
        rest.slash_command_builder("never", "Never answers"),
        rest.slash_command_builder("admin-only", "Only for administrators").set_default_member_permissions(
            hikari.Permissions.ADMINISTRATOR
        ),
        rest.context_menu_command_builder(hikari.CommandType.USER, "Say hi"),
        rest.context_menu_command_builder(hikari.CommandType.MESSAGE, "Quote"),
    ]


def component_rows(pressed):
    buttons = bot.rest.build_message_action_row().add_interactive_button(
        hikari.ButtonStyle.PRIMARY, "press", label="Press", is_disabled=pressed
    )
    menu_row = bot.rest.build_message_action_row()
    menu_row.add_text_menu("choose", min_values=1, max_values=1).add_option("a", "a").add_option("b", "b").add_option(
        "c", "c"
    )
    return [buttons, menu_row]


def option(interaction, name):
    return next((o.value for o in interaction.options or () if o.name == name), None)


async def on_command(interaction: hikari.CommandInteraction):
    name = interaction.command_name
    if interaction.command_type == hikari.CommandType.USER:
        target = interaction.resolved.users[interaction.target_id]
        await interaction.create_initial_response(hikari.ResponseType.MESSAGE_CREATE, f"hi {target.username}")
        handled(interaction, name, target=target.username)
        return
    if interaction.command_type == hikari.CommandType.MESSAGE:
        target = interaction.resolved.messages[interaction.target_id]
        await interaction.create_initial_response(hikari.ResponseType.MESSAGE_CREATE, f"> {target.content}")
        handled(interaction, name, target=str(target.id))
        return
    create = hikari.ResponseType.MESSAGE_CREATE
    if name == "echo":
        text, loud = option(interaction, "text"), option(interaction, "loud")
        await interaction.create_initial_response(create, text.upper() if loud else text)
        handled(interaction, name, text=text, loud=loud)
    elif name == "pick":
        fruit = option(interaction, "fruit")
        await interaction.create_initial_response(create, f"picked {fruit}")
        handled(interaction, name, fruit=fruit)
    elif name == "slow":
        await interaction.create_initial_response(hikari.ResponseType.DEFERRED_MESSAGE_CREATE)
        await asyncio.sleep(1.5)
        edited = await interaction.edit_initial_response("done slowly")
        followup = await interaction.execute("and a follow-up")
        handled(interaction, name, original=str(edited.id), followup=str(followup.id))
    elif name == "secret":
        await interaction.create_initial_response(create, "only you", flags=hikari.MessageFlag.EPHEMERAL)
        handled(interaction, name)
    elif name == "buttons":
        await interaction.create_initial_response(create, "pick one", components=component_rows(False))
        handled(interaction, name)
    elif name == "form":
        row = bot.rest.build_modal_action_row().add_text_input(
            "thoughts", "Thoughts", style=hikari.TextInputStyle.SHORT, required=True
        )
        await interaction.create_modal_response("Feedback", "feedback", components=[row])
        handled(interaction, name)
    elif name == "never":
        handled(interaction, name, answered=False)
    elif name == "admin-only":
        await interaction.create_initial_response(create, "admin ok")
        handled(interaction, name)
    else:
        report("error", f"unknown command {name}")


async def on_autocomplete(interaction: hikari.AutocompleteInteraction):
    focused = next((o for o in interaction.options if o.is_focused), None)
    typed = str(focused.value) if focused is not None and focused.value is not None else ""
    choices = [hikari.impl.AutocompleteChoiceBuilder(name=f, value=f) for f in FRUITS if f.startswith(typed)]
    await interaction.create_response(choices)
    handled(interaction, interaction.command_name, focused=typed, choices=[c.value for c in choices])


async def on_component(interaction: hikari.ComponentInteraction):
    if interaction.custom_id == "press":
        await interaction.create_initial_response(
            hikari.ResponseType.MESSAGE_UPDATE, f"pressed by {interaction.user.username}",
            components=component_rows(True),
        )
        handled(interaction, "press", message=str(interaction.message.id))
    elif interaction.custom_id == "choose":
        value = interaction.values[0] if interaction.values else None
        await interaction.create_initial_response(hikari.ResponseType.MESSAGE_CREATE, f"chose {value}")
        handled(interaction, "choose", value=value)


async def on_modal(interaction: hikari.ModalInteraction):
    if interaction.custom_id != "feedback":
        return
    value = next((c.value for row in interaction.components for c in row.components
                  if getattr(c, "custom_id", None) == "thoughts"), None)
    await interaction.create_initial_response(hikari.ResponseType.MESSAGE_CREATE, f"thanks: {value}")
    handled(interaction, "feedback", value=value)


@bot.listen(hikari.InteractionCreateEvent)
async def on_interaction(event: hikari.InteractionCreateEvent):
    interaction = event.interaction
    try:
        if isinstance(interaction, hikari.AutocompleteInteraction):
            await on_autocomplete(interaction)
        elif isinstance(interaction, hikari.CommandInteraction):
            await on_command(interaction)
        elif isinstance(interaction, hikari.ComponentInteraction):
            await on_component(interaction)
        elif isinstance(interaction, hikari.ModalInteraction):
            await on_modal(interaction)
    except Exception as error:  # hikari only logs listener exceptions
        fail(error)


async def register(application_id):
    synced = await bot.rest.set_application_commands(application_id, commands(), GUILD_ID)
    report("ready", {
        "application_id": str(application_id), "user": bot.get_me().username,
        "commands": sorted(c.name for c in synced), "ids": {c.name: str(c.id) for c in synced},
        "types": {c.name: int(c.type) for c in synced},
    })


async def webhook_phase():
    created = await bot.rest.create_webhook(CHANNEL_ID, "ci")  # POST /channels/{id}/webhooks
    rest_app = hikari.RESTApp(url=REST_URL)
    await rest_app.start()
    try:
        async with rest_app.acquire(None) as client:  # no token: webhook executes are authorised by their own
            message = await client.execute_webhook(
                created.id, created.token, "build passed", username="builder",
                attachment=hikari.Bytes(b"all 42 tests passed\n", "log.txt"),
            )
    finally:
        await rest_app.close()
    report("webhook", {
        "id": str(created.id), "message_id": str(message.id), "channel_id": str(message.channel_id),
        "url": f"{BASE}/api/webhooks/{created.id}/{created.token}", "author": message.author.username,
        "webhook_id": str(message.webhook_id) if message.webhook_id else None,
        "attachments": [a.filename for a in message.attachments], "content": message.content,
    })


@bot.listen(hikari.ShardReadyEvent)
async def on_ready(event: hikari.ShardReadyEvent):
    if state["started"]:
        return
    state["started"] = True
    try:
        await register(event.application_id)
        await webhook_phase()
    except Exception as error:
        fail(error)
        await stop()


async def stop():
    if state["stopping"]:
        return
    state["stopping"] = True
    report("stopped", {"handled": state["handled"]})
    await bot.close()


@bot.listen(hikari.StartedEvent)
async def on_started(_event):
    loop = asyncio.get_running_loop()
    loop.call_later(LIFETIME, lambda: asyncio.ensure_future(stop()))
    mode = os.fstat(0).st_mode
    if not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
        return  # /dev/null or a terminal: no stdin control

    def read():
        for line in sys.stdin:
            try:
                if json.loads(line).get("stop"):
                    break
            except (ValueError, AttributeError):
                continue
        loop.call_soon_threadsafe(lambda: asyncio.ensure_future(stop()))

    threading.Thread(target=read, daemon=True).start()


if __name__ == "__main__":
    try:
        bot.run(close_loop=False, check_for_updates=False, enable_signal_handlers=False)
    except Exception as error:  # reported, not swallowed: the test fails on it
        fail(error)
        sys.exit(1)

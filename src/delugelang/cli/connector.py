"""`dg connector`, `dg api` and `dg extension`: every step of the connector story from the shell."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import webbrowser
from pathlib import Path
from typing import Any, Callable

from delugelang.connectors import (
    Api,
    ClientCredentials,
    Connector,
    ConnectorRegistry,
    ConnectorService,
    DefinitionError,
)
from delugelang.connectors.model import (
    GRANT_TYPES,
    HTTP_METHODS,
    TOKEN_AUTH_METHODS,
    TOKEN_PLACEMENTS,
)

from . import EXIT_OK, EXIT_RUNTIME
from .common import UsageError, guarded, workspace_option

SECRET_ENV = "DG_CLIENT_SECRET"


# -- plumbing ------------------------------------------------------------------------------

def _workspace(args) -> Path:
    """The workspace. Only `connector create` and `extension create` may start one in a new
    directory; any other command there is a mistyped path, and must not leave a .dg behind."""
    path = Path(workspace_option(args))
    if not path.is_dir() and getattr(args, "may_create_workspace", False) is not True:
        raise UsageError(f"the workspace {path} is not a directory")
    return path


def _registry(args) -> ConnectorRegistry:
    return ConnectorRegistry(_workspace(args))


def _service(args) -> ConnectorService:
    return ConnectorService(_workspace(args), extension=getattr(args, "extension", None))


def _definition_error(exc) -> str | None:
    """An invalid connector or API definition (exit code 65); None for any other error."""
    return f"dg: error: {exc.message}" if isinstance(exc, DefinitionError) else None


def _emit(args, data: Any, text: Callable[[], None]) -> int:
    if getattr(args, "json", False):
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        text()
    return EXIT_OK


def _print_fields(data: dict[str, Any], skip: tuple[str, ...] = ()) -> None:
    for key, value in data.items():
        if key in skip:
            continue
        if isinstance(value, dict):
            value = ", ".join(f"{k}={v}" for k, v in value.items()) or "-"
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value) or "-"
        elif value is None:
            value = "-"
        elif isinstance(value, str) and value and not value.strip():
            value = repr(value)  # a blank separator, shown visibly
        print(f"{key.replace('_', ' ')}: {value}")


def _pairs(items: list[str] | None, sep: str, what: str) -> dict[str, str]:
    result = {}
    for item in items or []:
        key, found, value = item.partition(sep)
        if not found or not key.strip():
            raise UsageError(f"{what} {item!r} must look like KEY{sep}VALUE")
        result[key.strip()] = value.strip() if sep == ":" else value
    return result


def _read_secret(args) -> str:
    """The client secret from stdin, DG_CLIENT_SECRET, or a prompt; never from argv."""
    if args.client_secret_stdin:
        secret = sys.stdin.readline().rstrip("\r\n")
    elif os.environ.get(SECRET_ENV):
        secret = os.environ[SECRET_ENV]
    elif sys.stdin.isatty():
        secret = getpass.getpass("Client secret: ")
    else:
        raise UsageError(f"give the client secret with --client-secret-stdin or {SECRET_ENV}")
    if not secret:
        raise UsageError("the client secret is empty")
    return secret


# -- dg connector ----------------------------------------------------------------------

def _connector_fields(args) -> dict[str, Any]:
    """The connector fields given on the command line (only those given)."""
    mapping = {
        "description": args.description, "authorize_url": args.authorize_url,
        "token_url": args.token_url, "refresh_url": args.refresh_url,
        "scopes": args.scope, "scope_separator": args.scope_separator,
        "grant_type": args.grant, "token_auth_method": args.token_auth,
        "pkce": args.pkce, "token_placement": args.token_in, "auth_scheme": args.auth_scheme,
        "token_param": args.token_param, "hosts": args.host,
        "default_expires_in": args.default_expires_in, "refresh_leeway": args.refresh_leeway,
        "redirect_port": args.redirect_port,
    }
    fields = {k: v for k, v in mapping.items() if v is not None}
    if args.param is not None:
        fields["auth_params"] = _pairs(args.param, "=", "--param")
    return fields


def cmd_connector_create(args) -> int:
    fields = _connector_fields(args)
    connector = _registry(args).create_connector(Connector(name=args.name, **fields))
    print(f"created connector {connector.name}")
    print(f"redirect URL to register with the provider: {_registry(args).redirect_url(connector.name)}")
    return EXIT_OK


def cmd_connector_update(args) -> int:
    connector = _registry(args).update_connector(args.name, **_connector_fields(args))
    print(f"updated connector {connector.name}")
    return EXIT_OK


def cmd_connector_show(args) -> int:
    data = _registry(args).describe_connector(args.name)

    def text():
        _print_fields(data, skip=("apis",))
        print("apis:" + ("" if data["apis"] else " -"))
        for api in data["apis"]:
            print(f"  {api['id']}  {api['method']} {api['url']}  [{api['status']}]")
    return _emit(args, data, text)


def cmd_connector_list(args) -> int:
    registry = _registry(args)
    rows = [{"name": c.name, "published": registry.is_published(c.name), "apis": len(c.apis),
             "description": c.description} for c in registry.connectors()]

    def text():
        for row in rows:
            state = "published" if row["published"] else "draft"
            print(f"{row['name']}\t{state}\t{row['apis']} APIs\t{row['description']}")
    return _emit(args, rows, text)


def cmd_connector_delete(args) -> int:
    _registry(args).delete_connector(args.name)
    print(f"deleted connector {args.name.lower()} (its tokens and credentials too)")
    return EXIT_OK


def cmd_connector_credentials(args) -> int:
    secret = _read_secret(args)
    registry = _registry(args)
    registry.set_credentials(args.name, args.client_id, secret, args.extension)
    print(f"stored the client credentials of {args.name.lower()} (secret encrypted)")
    print(f"redirect URL: {registry.redirect_url(args.name, args.extension)}")
    return EXIT_OK


def cmd_connector_redirect_url(args) -> int:
    print(_registry(args).redirect_url(args.name, args.extension, args.port))
    return EXIT_OK


def cmd_connector_authorize(args) -> int:
    def show_url(url: str) -> None:
        print(url, flush=True)
        print(f"Open the URL above to authorize; waiting up to {args.timeout:g} s for the "
              "callback...", file=sys.stderr, flush=True)
        if not args.no_browser:
            try:
                webbrowser.open(url)
            except webbrowser.Error:
                pass

    status = _service(args).authorize(args.name, port=args.port, timeout=args.timeout,
                                      on_url=show_url)
    _report_token(status)
    return EXIT_OK


def cmd_connector_client_credentials(args) -> int:
    _report_token(_service(args).fetch_client_credentials_token(args.name))
    return EXIT_OK


def _report_token(status: dict[str, Any]) -> None:
    expiry = f"expires {status['expires_at']}" if status["expires_at"] else "does not expire"
    refresh = "with" if status["has_refresh_token"] else "without"
    print(f"connector {status['connector']} is authorized: token {expiry}, {refresh} a refresh token")
    if not status["has_refresh_token"]:
        print("warning: the provider sent no refresh token, so the connector must be authorized "
              "again when the token expires (Google needs --param access_type=offline "
              "--param prompt=consent; Zoho needs access_type=offline)", file=sys.stderr)


def cmd_connector_token(args) -> int:
    service = _service(args)
    status = service.refresh(args.name) if args.refresh else service.token_status(args.name)
    return _emit(args, status, lambda: _print_fields(status))


# -- dg api --------------------------------------------------------------------------------

def _api_fields(args) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key in ("method", "url", "content_type", "description"):
        if getattr(args, key) is not None:
            fields[key] = getattr(args, key)
    if args.header is not None:
        fields["headers"] = _pairs(args.header, ":", "--header")
    if args.param is not None:
        fields["params"] = _pairs(args.param, "=", "--param")
    if args.body_file is not None and args.body is not None:
        raise UsageError("give either --body or --body-file")
    if args.body_file is not None:
        try:
            fields["body"] = Path(args.body_file).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise UsageError(f"the body file {args.body_file} is not UTF-8 text") from None
        except OSError as exc:
            raise UsageError(f"cannot read the body file {args.body_file}: {exc.strerror}") \
                from None
    elif args.body is not None:
        fields["body"] = args.body
    return fields


def cmd_api_add(args) -> int:
    fields = _api_fields(args)
    api = _registry(args).add_api(args.connector, Api(name=args.name, **fields))
    print(f"added API {args.connector.lower()}.{api.name} (draft: execute it, then publish it)")
    return EXIT_OK


def cmd_api_update(args) -> int:
    fields = _api_fields(args)
    if args.no_body:
        if "body" in fields:
            raise UsageError("give either --no-body or a new body, not both")
        fields["body"] = None
    registry = _registry(args)
    registry.update_api(args.api_id, **fields)
    print(f"updated API {args.api_id.lower()} ({registry.describe_api(args.api_id)['status']})")
    return EXIT_OK


def cmd_api_show(args) -> int:
    data = _registry(args).describe_api(args.api_id)

    def text():
        _print_fields(data, skip=("body",))
        print("body:" + ("\n" + data["body"] if data["body"] is not None else " -"))
    return _emit(args, data, text)


def cmd_api_list(args) -> int:
    registry = _registry(args)
    connector = registry.connector(args.connector)
    rows = [registry.describe_api(f"{connector.name}.{api.name}") for api in connector.apis]

    def text():
        for row in rows:
            print(f"{row['id']}\t{row['method']}\t{row['status']}\t{row['url']}")
    return _emit(args, rows, text)


def cmd_api_delete(args) -> int:
    _registry(args).delete_api(args.api_id)
    print(f"deleted API {args.api_id.lower()}")
    return EXIT_OK


def cmd_api_execute(args) -> int:
    variables: dict[str, Any] = {}
    if args.vars_json is not None:
        try:
            variables = json.loads(args.vars_json)
        except json.JSONDecodeError as exc:
            raise DefinitionError(f"--vars-json is not valid JSON: {exc.msg} at column "
                                  f"{exc.colno}") from None
        if not isinstance(variables, dict):
            raise DefinitionError('--vars-json must be a JSON object, like {"Fname": "Ada"}')
    variables.update(_pairs(args.var, "=", "--var"))
    result = _service(args).execute(args.api_id, variables)
    data = {"status_code": result.status_code, "headers": result.headers,
            "response": result.body}

    def text():
        print(f"HTTP {result.status_code}")
        for name, value in result.headers.items():
            print(f"{name}: {value}")
        print()
        print(result.body)
    _emit(args, data, text)
    return EXIT_OK if result.status_code < 400 else EXIT_RUNTIME


def cmd_api_publish(args) -> int:
    registry = _registry(args)
    first = registry.publish_api(args.api_id)
    print(f"published API {args.api_id.lower()}")
    if first:
        print(f"published connector {args.api_id.lower().split('.')[0]} with its first API")
    return EXIT_OK


# -- dg extension --------------------------------------------------------------------------

def cmd_extension_create(args) -> int:
    extension = _registry(args).create_extension(args.name, args.description or "")
    print(f"created extension {extension.name}")
    return EXIT_OK


def cmd_extension_add_connector(args) -> int:
    credentials = None
    if args.client_id is not None:
        credentials = ClientCredentials(args.client_id, _read_secret(args))
    elif args.client_secret_stdin:
        raise UsageError("--client-secret-stdin needs --client-id")
    url = _registry(args).add_to_extension(args.extension_name, args.connector, credentials)
    print(f"added connector {args.connector.lower()} to extension {args.extension_name.lower()}")
    print(f"redirect URL to register with the provider: {url}")
    return EXIT_OK


def cmd_extension_remove_connector(args) -> int:
    _registry(args).remove_from_extension(args.extension_name, args.connector)
    print(f"removed connector {args.connector.lower()} from extension {args.extension_name.lower()}")
    return EXIT_OK


def cmd_extension_show(args) -> int:
    data = _registry(args).describe_extension(args.extension_name)

    def text():
        print(f"name: {data['name']}")
        print(f"description: {data['description'] or '-'}")
        print("connectors:" + ("" if data["connectors"] else " -"))
        for row in data["connectors"]:
            client = f"own client {row['client_id']}" if row["own_client"] else "connector's client"
            print(f"  {row['connector']}  ({client})  redirect URL: {row['redirect_url']}")
    return _emit(args, data, text)


def cmd_extension_list(args) -> int:
    rows = [e.to_dict() for e in _registry(args).extensions()]

    def text():
        for row in rows:
            print(f"{row['name']}\t{', '.join(row['connectors']) or '-'}\t{row['description']}")
    return _emit(args, rows, text)


# -- argument parsers ----------------------------------------------------------------------

def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--workspace", metavar="DIR",
                        help="the workspace (default: $DG_WORKSPACE, else the current directory)")
    return common


def _json_flag(parser) -> None:
    parser.add_argument("--json", action="store_true", help="print the data as one JSON value")


def _extension_flag(parser, what: str) -> None:
    parser.add_argument("--extension", metavar="EXT",
                        help=f"{what} inside this extension (its own client, if it has one)")


def _port_from(low: int):
    """An argparse type: a TCP port number from `low` to 65535."""
    def port(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            number = -1
        if not low <= number <= 65535:
            raise argparse.ArgumentTypeError(f"a port is a number from {low} to 65535, "
                                             f"not {text!r}")
        return number
    return port


def _positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"give a number of seconds above 0, not {text!r}")
    return seconds


def _add(sub, name: str, handler, help_text: str, common, description: str | None = None):
    parser = sub.add_parser(name, help=help_text, description=description or help_text,
                            parents=[common])
    parser.set_defaults(handler=guarded(handler, "dg", _definition_error))
    return parser


def _connector_options(parser, creating: bool) -> None:
    parser.add_argument("--description", metavar="TEXT")
    parser.add_argument("--authorize-url", metavar="URL",
                        help="the provider's authorization (request token) URL")
    parser.add_argument("--token-url", metavar="URL", required=creating,
                        help="the provider's access token URL")
    parser.add_argument("--refresh-url", metavar="URL",
                        help="the refresh token URL (default: the token URL)")
    parser.add_argument("--scope", action="append", metavar="SCOPE",
                        help="a scope to request; repeat for several")
    parser.add_argument("--scope-separator", metavar="SEP",
                        help="how the provider joins scopes (default: a space; Zoho: ',')")
    parser.add_argument("--param", action="append", metavar="K=V",
                        help="an extra authorization parameter, e.g. access_type=offline")
    parser.add_argument("--grant", choices=GRANT_TYPES, help="default: authorization_code")
    parser.add_argument("--token-auth", choices=TOKEN_AUTH_METHODS,
                        help="how the client authenticates at the token endpoint "
                             "(default: client_secret_post)")
    parser.add_argument("--pkce", dest="pkce", action="store_true", default=None,
                        help="send a PKCE S256 challenge (the default)")
    parser.add_argument("--no-pkce", dest="pkce", action="store_false",
                        help="do not send PKCE (for providers that reject it)")
    parser.add_argument("--token-in", choices=TOKEN_PLACEMENTS,
                        help="where API calls carry the token (default: header)")
    parser.add_argument("--auth-scheme", metavar="SCHEME",
                        help="the Authorization scheme (default: Bearer; Zoho: Zoho-oauthtoken)")
    parser.add_argument("--token-param", metavar="NAME",
                        help="the URL parameter for --token-in query (default: access_token)")
    parser.add_argument("--host", action="append", metavar="URL",
                        help="an extra origin the token may be sent to (besides the APIs' own)")
    parser.add_argument("--default-expires-in", type=int, metavar="S",
                        help="lifetime assumed when the provider omits expires_in "
                             "(default 3600; 0: treat as non-expiring)")
    parser.add_argument("--refresh-leeway", type=int, metavar="S",
                        help="refresh this many seconds before expiry (default 60)")
    parser.add_argument("--redirect-port", type=int, metavar="N",
                        help="the loopback port of the redirect URL (default 8719)")


def _secret_options(parser) -> None:
    parser.add_argument("--client-secret-stdin", action="store_true",
                        help=f"read the client secret from stdin (else ${SECRET_ENV}, else a "
                             "prompt; never from the command line)")


def _register_connector(sub, common) -> None:
    top = sub.add_parser("connector", help="define and authorize OAuth 2.0 connectors",
                         description="Define connectors, set their client credentials and "
                                     "authorize them. APIs: `dg api`. Bundles: `dg extension`.")
    cmds = top.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = _add(cmds, "create", cmd_connector_create, "define a new connector", common)
    p.set_defaults(may_create_workspace=True)
    p.add_argument("name")
    _connector_options(p, creating=True)
    p = _add(cmds, "update", cmd_connector_update, "change a connector's settings", common)
    p.add_argument("name")
    _connector_options(p, creating=False)
    p = _add(cmds, "show", cmd_connector_show, "show a connector (never its secret)", common)
    p.add_argument("name")
    _json_flag(p)
    _json_flag(_add(cmds, "list", cmd_connector_list, "list the connectors", common))
    p = _add(cmds, "delete", cmd_connector_delete, "delete a connector, its tokens and credentials",
             common)
    p.add_argument("name")
    p = _add(cmds, "credentials", cmd_connector_credentials,
             "store the OAuth client id and secret (the secret is encrypted at rest)", common)
    p.add_argument("name")
    p.add_argument("--client-id", required=True, metavar="ID")
    _secret_options(p)
    _extension_flag(p, "set the extension's own client")
    p = _add(cmds, "redirect-url", cmd_connector_redirect_url,
             "print the redirect URL to register with the provider", common)
    p.add_argument("name")
    p.add_argument("--port", type=_port_from(1), metavar="N",
                   help="a port other than the connector's")
    _extension_flag(p, "the redirect URL")
    p = _add(cmds, "authorize", cmd_connector_authorize,
             "authorize the connection (prints the URL to open first)", common,
             "Authorization code + PKCE S256 + state: prints the authorization URL as the first "
             "line, listens on 127.0.0.1 for exactly one callback, exchanges the code and "
             "stores the tokens. For a client-credentials connector it fetches a token.")
    p.add_argument("name")
    p.add_argument("--no-browser", action="store_true", help="only print the URL")
    p.add_argument("--port", type=_port_from(0), metavar="N",
                   help="loopback port (default: the connector's; 0 picks a free one)")
    p.add_argument("--timeout", type=_positive_seconds, default=300.0, metavar="S",
                   help="how long to wait for the callback (default 300)")
    _extension_flag(p, "authorize")
    p = _add(cmds, "client-credentials", cmd_connector_client_credentials,
             "fetch a token with the client-credentials grant", common)
    p.add_argument("name")
    _extension_flag(p, "fetch the token")
    p = _add(cmds, "token", cmd_connector_token,
             "show the connection's token status (never the token)", common)
    p.add_argument("name")
    p.add_argument("--refresh", action="store_true", help="refresh the token now")
    _extension_flag(p, "the connection")
    _json_flag(p)


def _api_options(parser, adding: bool) -> None:
    parser.add_argument("--method", choices=HTTP_METHODS, type=str.upper,
                        default="GET" if adding else None)
    parser.add_argument("--url", required=adding, metavar="URL",
                        help="URL template; ${var} may appear in the path and query")
    parser.add_argument("--header", action="append", metavar="K:V", help="a header template")
    parser.add_argument("--param", action="append", metavar="K=V",
                        help="a URL parameter template")
    parser.add_argument("--body", metavar="TEXT", help="the body template")
    parser.add_argument("--body-file", metavar="FILE", help="read the body template from FILE")
    parser.add_argument("--content-type", metavar="TYPE",
                        help="e.g. application/atom+xml (XML-escapes ${var} in the body)")
    parser.add_argument("--description", metavar="TEXT")


def _register_api(sub, common) -> None:
    top = sub.add_parser("api", help="add, execute and publish a connector's APIs",
                         description="A connector's APIs are request templates with ${var} "
                                     "values; their id is <connector>.<api>.")
    cmds = top.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = _add(cmds, "add", cmd_api_add, "add an API (a draft) to a connector", common)
    p.add_argument("connector")
    p.add_argument("name")
    _api_options(p, adding=True)
    p = _add(cmds, "update", cmd_api_update, "change an API (publish again to go live)", common)
    p.add_argument("api_id", metavar="CONNECTOR.API")
    _api_options(p, adding=False)
    p.add_argument("--no-body", action="store_true", help="remove the body template")
    p = _add(cmds, "show", cmd_api_show, "show an API and its publish state", common)
    p.add_argument("api_id", metavar="CONNECTOR.API")
    _json_flag(p)
    p = _add(cmds, "list", cmd_api_list, "list a connector's APIs", common)
    p.add_argument("connector")
    _json_flag(p)
    p = _add(cmds, "delete", cmd_api_delete, "delete an API", common)
    p.add_argument("api_id", metavar="CONNECTOR.API")
    p = _add(cmds, "execute", cmd_api_execute,
             "run an API (draft or published) and show status, headers and body", common,
             "Run the API with the given values and show the response. Exits 0 for an HTTP "
             "status below 400, 1 otherwise.")
    p.add_argument("api_id", metavar="CONNECTOR.API")
    p.add_argument("--var", action="append", metavar="K=V", help="a ${K} value (text)")
    p.add_argument("--vars-json", metavar="JSON", help="values as a JSON object")
    _extension_flag(p, "run")
    _json_flag(p)
    p = _add(cmds, "publish", cmd_api_publish,
             "publish an API as it is now (the first one publishes its connector)", common)
    p.add_argument("api_id", metavar="CONNECTOR.API")


def _register_extension(sub, common) -> None:
    top = sub.add_parser("extension", help="bundle published connectors into extensions",
                         description="An extension holds published connectors; functions run "
                                     "inside one (`dg run --extension EXT`).")
    cmds = top.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = _add(cmds, "create", cmd_extension_create, "create an extension", common)
    p.set_defaults(may_create_workspace=True)
    p.add_argument("name")
    p.add_argument("--description", metavar="TEXT")
    p = _add(cmds, "add-connector", cmd_extension_add_connector,
             "add a published connector; prints the redirect URL to register", common,
             "Add a published connector. With --client-id (and the secret from stdin, "
             f"${SECRET_ENV} or a prompt) the extension uses its own OAuth client and connection.")
    p.add_argument("extension_name", metavar="EXT")
    p.add_argument("connector")
    p.add_argument("--client-id", metavar="ID", help="the extension's own client id")
    _secret_options(p)
    p = _add(cmds, "remove-connector", cmd_extension_remove_connector,
             "remove a connector from an extension", common)
    p.add_argument("extension_name", metavar="EXT")
    p.add_argument("connector")
    p = _add(cmds, "show", cmd_extension_show, "show an extension and its redirect URLs", common)
    p.add_argument("extension_name", metavar="EXT")
    _json_flag(p)
    _json_flag(_add(cmds, "list", cmd_extension_list, "list the extensions", common))


def register(subparsers) -> None:
    """Add `connector`, `api` and `extension` to the dg command."""
    common = _common()
    _register_connector(subparsers, common)
    _register_api(subparsers, common)
    _register_extension(subparsers, common)

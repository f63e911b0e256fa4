"""The connector lifecycle: define, set credentials, add APIs, publish, bundle into extensions."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from delugelang.connectors.errors import ConnectorError, DefinitionError, NotFoundError
from delugelang.connectors.model import Api, Connector, Extension, check_name, parse_api_id, redirect_url
from delugelang.connectors.oauth import ClientCredentials
from delugelang.connectors.storage import ConnectionKey, ConnectorState
from delugelang.connectors.workspace import Definitions
from delugelang.state import StateStore

DRAFT, PUBLISHED, MODIFIED = "draft", "published", "published (draft changes)"


def iso_time(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, timezone.utc).isoformat(timespec="seconds")


class ConnectorRegistry:
    """Definitions (workspace files) plus their state (credentials, publish marks, tokens).

    Every method validates its input and raises DefinitionError for bad data and
    NotFoundError for unknown names. Nothing here returns or prints a secret.
    """

    def __init__(self, workspace_dir: str | os.PathLike, *, state: StateStore | None = None,
                 clock=time.time):
        self.definitions = Definitions(workspace_dir)
        self.state = ConnectorState(state or StateStore(workspace_dir), clock)
        self.clock = clock

    # -- connectors ------------------------------------------------------------------

    def connector(self, name: str) -> Connector:
        return self.definitions.connector(name)

    def connectors(self) -> list[Connector]:
        return self.definitions.connectors()

    def create_connector(self, connector: Connector) -> Connector:
        connector = replace(connector, apis=[]).validated()
        if self.definitions.find_connector(connector.name) is not None:
            raise DefinitionError(f"connector {connector.name!r} already exists")
        self.definitions.save_connector(connector)
        return connector

    def update_connector(self, name: str, **changes: Any) -> Connector:
        connector = self.connector(name)
        if "name" in changes or "apis" in changes:
            raise DefinitionError("a connector's name and APIs cannot be changed this way")
        updated = replace(connector, **changes).validated()
        self.definitions.save_connector(updated)
        return updated

    def delete_connector(self, name: str) -> None:
        connector = self.connector(name)
        users = [e.name for e in self.definitions.extensions() if connector.name in e.connectors]
        if users:
            raise ConnectorError(f"connector {connector.name!r} is used by extension "
                                 f"{', '.join(users)}: remove it there first")
        self.definitions.delete_connector(connector.name)
        self.state.unpublish(connector.name)
        self.state.delete_connections(connector.name)
        self.state.delete_credentials(connector.name)

    def set_credentials(self, name: str, client_id: str, client_secret: str,
                        extension: str | None = None) -> None:
        """Store the OAuth client for a connector (or its override inside an extension)."""
        connector = self.connector(name)
        if not client_id or not client_secret:
            raise DefinitionError("both a client id and a client secret are needed")
        if any(ch in client_id + client_secret for ch in "\r\n\x00"):
            raise DefinitionError("the client id or secret contains a line break")
        ext = ""
        if extension is not None:
            ext = self._member_extension(extension, connector.name).name
        self.state.set_credentials(connector.name, ClientCredentials(client_id, client_secret), ext)
        self.state.delete_connections(connector.name, ext)  # tokens of the old client are void

    def redirect_url(self, name: str, extension: str | None = None, port: int | None = None) -> str:
        connector = self.connector(name)
        ext = None
        if extension is not None:
            ext = self._member_extension(extension, connector.name).name
            if self.state.credentials(connector.name, ext) is None:
                ext = None  # no own client: the extension shares the connector's connection
        return redirect_url(connector.name, ext, connector.redirect_port if port is None else port)

    # -- APIs ------------------------------------------------------------------------

    def api(self, api_id: str) -> tuple[Connector, Api]:
        parsed = parse_api_id(api_id)
        if parsed is None:
            raise DefinitionError(f"{api_id!r} is not an API id: write <connector>.<api>")
        connector = self.connector(parsed[0])
        api = connector.api(parsed[1])
        if api is None:
            raise NotFoundError(f"connector {connector.name!r} has no API named {parsed[1]!r}")
        return connector, api

    def add_api(self, connector_name: str, api: Api) -> Api:
        connector = self.connector(connector_name)
        api = api.validated()
        if connector.api(api.name) is not None:
            raise DefinitionError(f"connector {connector.name!r} already has an API {api.name!r}")
        self.definitions.save_connector(replace(connector, apis=[*connector.apis, api]))
        return api

    def update_api(self, api_id: str, **changes: Any) -> Api:
        connector, api = self.api(api_id)
        if "name" in changes:
            raise DefinitionError("an API's name cannot be changed")
        updated = replace(api, **changes).validated()
        apis = [updated if a.name == api.name else a for a in connector.apis]
        self.definitions.save_connector(replace(connector, apis=apis))
        return updated

    def delete_api(self, api_id: str) -> None:
        connector, api = self.api(api_id)
        self.definitions.save_connector(
            replace(connector, apis=[a for a in connector.apis if a.name != api.name]))
        self.state.unpublish(connector.name, api.name)

    def publish_api(self, api_id: str) -> bool:
        """Publish the API as it is now. True if this also published its connector."""
        connector, api = self.api(api_id)
        first = not self.state.publications(connector.name)
        self.state.publish(connector.name, api)
        return first

    def api_status(self, connector: Connector, api: Api) -> str:
        publication = self.state.publication(connector.name, api.name)
        if publication is None:
            return DRAFT
        return PUBLISHED if publication.api == api else MODIFIED

    def is_published(self, connector_name: str) -> bool:
        return bool(self.state.publications(check_name(connector_name, "connector")))

    # -- extensions ------------------------------------------------------------------

    def extension(self, name: str) -> Extension:
        return self.definitions.extension(name)

    def extensions(self) -> list[Extension]:
        return self.definitions.extensions()

    def create_extension(self, name: str, description: str = "") -> Extension:
        extension = Extension(name, description).validated()
        if self.definitions.find_extension(extension.name) is not None:
            raise DefinitionError(f"extension {extension.name!r} already exists")
        self.definitions.save_extension(extension)
        return extension

    def add_to_extension(self, extension_name: str, connector_name: str,
                         credentials: ClientCredentials | None = None) -> str:
        """Add a published connector; returns the redirect URL to register with the provider."""
        extension = self.extension(extension_name)
        connector = self.connector(connector_name)
        if not self.is_published(connector.name):
            raise ConnectorError(f"connector {connector.name!r} is not published: "
                                 "publish one of its APIs first")
        if connector.name not in extension.connectors:
            self.definitions.save_extension(
                replace(extension, connectors=[*extension.connectors, connector.name]))
        if credentials is not None:
            self.set_credentials(connector.name, credentials.client_id,
                                 credentials.client_secret, extension.name)
        return self.redirect_url(connector.name, extension.name)

    def remove_from_extension(self, extension_name: str, connector_name: str) -> None:
        extension = self.extension(extension_name)
        name = check_name(connector_name, "connector")
        if name not in extension.connectors:
            raise NotFoundError(f"extension {extension.name!r} has no connector {name!r}")
        self.definitions.save_extension(
            replace(extension, connectors=[n for n in extension.connectors if n != name]))
        self.state.delete_credentials(name, extension.name)
        self.state.delete_connections(name, extension.name)

    def _member_extension(self, extension_name: str, connector: str) -> Extension:
        extension = self.extension(extension_name)
        if connector not in extension.connectors:
            raise ConnectorError(f"connector {connector!r} is not in extension {extension.name!r}: "
                                 f"run `dg extension add-connector {extension.name} {connector}`")
        return extension

    # -- connections -----------------------------------------------------------------

    def connection_key(self, connector: str, extension: str | None) -> ConnectionKey:
        """The extension's own connection if it has its own client, else the shared one."""
        if extension and self.state.credentials(connector, extension) is not None:
            return ConnectionKey(connector, extension)
        return ConnectionKey(connector)

    def client_credentials(self, key: ConnectionKey) -> ClientCredentials:
        creds = self.state.credentials(key.connector, key.extension)
        if creds is None:
            raise ConnectorError(f"connector {key.connector!r} has no client credentials: run "
                                 f"`dg connector credentials {key.connector}`")
        return creds

    # -- descriptions (for `show` / `list`; never a secret) ------------------------------

    def describe_connector(self, name: str) -> dict[str, Any]:
        connector = self.connector(name)
        data = connector.to_dict()
        creds = self.state.credentials(connector.name)
        data["apis"] = [self.describe_api(f"{connector.name}.{a.name}") for a in connector.apis]
        data.update(
            client_id=creds.client_id if creds else None,
            client_secret="set" if creds else "not set",
            redirect_url=self.redirect_url(connector.name),
            published=self.is_published(connector.name),
            connection=self.state.connection(ConnectionKey(connector.name)).status,
            extensions=[e.name for e in self.extensions() if connector.name in e.connectors],
        )
        return data

    def describe_api(self, api_id: str) -> dict[str, Any]:
        connector, api = self.api(api_id)
        publication = self.state.publication(connector.name, api.name)
        return {"id": f"{connector.name}.{api.name}", **api.to_dict(),
                "status": self.api_status(connector, api),
                "published_at": iso_time(publication.published_at) if publication else None}

    def describe_extension(self, name: str) -> dict[str, Any]:
        extension = self.extension(name)
        members = []
        for connector in extension.connectors:
            own = self.state.credentials(connector, extension.name)
            members.append({"connector": connector,
                            "client_id": own.client_id if own else None,
                            "own_client": own is not None,
                            "redirect_url": self.redirect_url(connector, extension.name)})
        return {"name": extension.name, "description": extension.description,
                "connectors": members}

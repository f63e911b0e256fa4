"""Child process for the concurrency test: wait for a shared start time, then call crm.me once."""

import sys
import time

from delugelang.connectors import ConnectorService
from delugelang.net import HttpClient, HttpPolicy

workspace, start_at = sys.argv[1], float(sys.argv[2])
with HttpClient(HttpPolicy.from_env(allow_hosts=("127.0.0.1",))) as http:
    service = ConnectorService(workspace, http=http)
    while time.time() < start_at:
        time.sleep(0.001)
    print(service.invoke("crm.me", {})["status_code"])

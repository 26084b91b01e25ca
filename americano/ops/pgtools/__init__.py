"""PostgreSQL's client programs (pg_dump, pg_restore, psql): finding them and running them.

``programs`` finds the program to run and refuses one too old for its work;
``conninfo`` holds the connection parameters of a database and hands them to a
child without putting the password on a command line or in an environment;
``running`` runs the child so that nothing is left behind: not the child, not
the password file, also when this process is interrupted or killed.
"""

from americano.ops.pgtools.conninfo import ConnInfo
from americano.ops.pgtools.programs import (
    TOOL_ENV_VARS,
    PgTool,
    PgToolError,
    PgToolFailed,
    embedded_bin_dir,
    find_tool,
    sibling_tool,
    tool_version,
)
from americano.ops.pgtools.running import (
    FOLDER_PREFIX,
    MAX_ERROR_CHARS,
    ToolRun,
    private_folder,
    run_tool,
    sweep_leftovers,
)

__all__ = [
    "FOLDER_PREFIX",
    "MAX_ERROR_CHARS",
    "TOOL_ENV_VARS",
    "ConnInfo",
    "PgTool",
    "PgToolError",
    "PgToolFailed",
    "ToolRun",
    "embedded_bin_dir",
    "find_tool",
    "private_folder",
    "run_tool",
    "sibling_tool",
    "sweep_leftovers",
    "tool_version",
]

"""Workflow rules: on a record's create or edit, matching rules call Deluge functions."""

from delugelang.workflow.conditions import ConditionError, parse_condition
from delugelang.workflow.engine import MAX_DEPTH, TestOutcome, WorkflowEngine
from delugelang.workflow.log import Execution, WorkflowLog
from delugelang.workflow.rules import Rule, RuleError, RuleFiles
from delugelang.workflow.services import workspace_records, workspace_services

__all__ = ["ConditionError", "Execution", "MAX_DEPTH", "Rule", "RuleError", "RuleFiles",
           "TestOutcome", "WorkflowEngine", "WorkflowLog", "parse_condition",
           "workspace_records", "workspace_services"]

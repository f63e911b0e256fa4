"""B1-B4: each Deluge program, its plain-CPython twin, and the input both receive."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Workload:
    """One benchmark: Deluge source, the equivalent Python function, and how to call both.

    `make_input(size)` builds the input once; `deluge_call(program, data)` and
    `python_call(data)` each do the whole workload and return the same value.
    """

    key: str
    title: str
    source: str
    python: Callable
    make_input: Callable
    deluge_call: Callable
    python_call: Callable
    default_size: int
    per_call: bool = False  # B4 reports the time of one call, not of the whole batch


# ---------------------------------------------------------------- B1: loops and arithmetic

B1_SOURCE = """\
int sumSquares(list nums)
{
	total = 0;
	for each i in nums
	{
		total = total + i * i % 7;
	}
	return total;
}
"""


def b1_python(nums):
    total = 0
    for i in nums:
        total = total + i * i % 7
    return total


# ---------------------------------------------------------------- B2: texts

B2_SOURCE = """\
int texts(list nums)
{
	items = List();
	for each i in nums
	{
		items.add("item-" + i);
	}
	joined = items.toString();
	parts = joined.toList(",");
	return parts.size();
}
"""


def b2_python(nums):
    items = []
    for i in nums:
        items.append("item-" + str(i))
    joined = ",".join(items)
    parts = joined.split(",")
    return len(parts)


# ---------------------------------------------------------------- B3: maps

B3_SOURCE = """\
int maps(list nums)
{
	kept = List();
	for each i in nums
	{
		row = {"id": i, "name": "n" + i, "score": i % 100};
		if (row.get("score") > 50)
		{
			kept.add(row);
		}
	}
	counts = Map();
	for each row in kept
	{
		score = row.get("score");
		if (counts.containsKey(score))
		{
			counts.put(score, counts.get(score) + 1);
		}
		else
		{
			counts.put(score, 1);
		}
	}
	return counts.size();
}
"""


def b3_python(nums):
    kept = []
    for i in nums:
        row = {"id": i, "name": "n" + str(i), "score": i % 100}
        if row["score"] > 50:
            kept.append(row)
    counts = {}
    for row in kept:
        score = row["score"]
        if score in counts:
            counts[score] = counts[score] + 1
        else:
            counts[score] = 1
    return len(counts)


# ---------------------------------------------------------------- B4: a CRM function

B4_SOURCE = """\
map classifyLead()
{
	first = input.First_Name.trim();
	last = input.Last_Name.trim();
	email = input.Email.trim().toLowerCase();
	company = input.Company;
	revenue = input.Annual_Revenue;
	employees = input.No_of_Employees;
	source = input.Lead_Source;
	country = input.Country;
	phone = input.Phone;
	status = input.Lead_Status;
	if (revenue > 1000000 || employees > 500)
	{
		tier = "enterprise";
	}
	else if (revenue > 100000 || employees > 50)
	{
		tier = "mid-market";
	}
	else if (source == "Partner" || source == "Referral")
	{
		tier = "smb-referred";
	}
	else
	{
		tier = "smb";
	}
	if (country == "US" || country == "USA" || country == "United States")
	{
		region = "NA";
	}
	else if (country == "UK" || country == "Germany" || country == "France")
	{
		region = "EMEA";
	}
	else
	{
		region = "ROW";
	}
	domain = email.getSuffix("@");
	digits = phone.replaceAll("[^0-9]", "");
	label = first.upper() + " " + last.upper() + " (" + employees + " staff)";
	result = Map();
	result.put("name", label);
	result.put("email", email);
	result.put("domain", domain);
	result.put("company", company.lower());
	result.put("tier", tier);
	result.put("region", region);
	result.put("phone", digits);
	result.put("hot", status != "Junk" && tier != "smb");
	result.put("summary", tier + "/" + region + "/" + revenue);
	return result;
}
"""

_NOT_DIGITS = re.compile("[^0-9]")


def b4_python(rec):
    first = rec["First_Name"].strip()
    last = rec["Last_Name"].strip()
    email = rec["Email"].strip().lower()
    company = rec["Company"]
    revenue = rec["Annual_Revenue"]
    employees = rec["No_of_Employees"]
    source = rec["Lead_Source"]
    country = rec["Country"]
    phone = rec["Phone"]
    status = rec["Lead_Status"]
    if revenue > 1000000 or employees > 500:
        tier = "enterprise"
    elif revenue > 100000 or employees > 50:
        tier = "mid-market"
    elif source == "Partner" or source == "Referral":
        tier = "smb-referred"
    else:
        tier = "smb"
    if country == "US" or country == "USA" or country == "United States":
        region = "NA"
    elif country == "UK" or country == "Germany" or country == "France":
        region = "EMEA"
    else:
        region = "ROW"
    at = email.find("@")
    domain = email[at + 1:] if at >= 0 else ""
    digits = _NOT_DIGITS.sub("", phone)
    label = first.upper() + " " + last.upper() + " (" + str(employees) + " staff)"
    result = {}
    result["name"] = label
    result["email"] = email
    result["domain"] = domain
    result["company"] = company.lower()
    result["tier"] = tier
    result["region"] = region
    result["phone"] = digits
    result["hot"] = status != "Junk" and tier != "smb"
    result["summary"] = tier + "/" + region + "/" + str(revenue)
    return result


_COUNTRIES = ("US", "USA", "United States", "UK", "Germany", "France", "India", "Brazil")
_SOURCES = ("Web", "Partner", "Referral", "Trade Show", "Cold Call")
_STATUSES = ("New", "Contacted", "Qualified", "Junk")


def make_records(count: int) -> list[dict]:
    """`count` different lead records, as a CRM would hand them to a function."""
    records = []
    for i in range(count):
        records.append({
            "First_Name": f"  first{i} ", "Last_Name": f"Last{i * 7 % 1000}",
            "Email": f" Person{i}@Example{i % 37}.com ", "Company": f"Company {i % 113}",
            "Annual_Revenue": (i * 7919) % 2_000_000, "No_of_Employees": (i * 31) % 900,
            "Lead_Source": _SOURCES[i % len(_SOURCES)], "Country": _COUNTRIES[i % len(_COUNTRIES)],
            "Phone": f"+1 ({i % 900 + 100}) 555-{i % 10000:04d}",
            "Lead_Status": _STATUSES[i % len(_STATUSES)],
        })
    return records


def _numbers(size):
    return list(range(size))


def _run_with_list(program, nums, limits=None):
    # The list is handed over as the Deluge value it already is, as the CPython twin gets
    # it: B1-B3 time the language. Converting host data is timed on its own
    # (run.py: "host list conversion").
    return program.run(preset={"nums": nums}, limits=limits).value


def _python_with_list(fn):
    return lambda nums: fn(nums)


def _deluge_records(program, records):
    # A host calling one function per record prepares it once (Program.prepare): each
    # call still converts its record, gets fresh budgets and checks its return size.
    call = program.prepare()
    return [call(record=rec).value for rec in records]


def _python_records(records):
    return [b4_python(rec) for rec in records]


WORKLOADS = (
    Workload("B1", "sum of i*i % 7 over a list", B1_SOURCE, b1_python, _numbers,
             _run_with_list, _python_with_list(b1_python), 100_000),
    Workload("B2", "build texts, join, split, count", B2_SOURCE, b2_python, _numbers,
             _run_with_list, _python_with_list(b2_python), 20_000),
    Workload("B3", "build maps, filter, count per score", B3_SOURCE, b3_python, _numbers,
             _run_with_list, _python_with_list(b3_python), 10_000),
    Workload("B4", "CRM function, one call per record", B4_SOURCE, b4_python, make_records,
             _deluge_records, _python_records, 10_000, per_call=True),
)

"""Iterative calculation on the formulas model: a workbook that enables it (iteration.py) and that the
translated plan cannot express still has its circular references computed as Excel computes them.

The model's graph (schedula: data nodes for cells and ranges, function nodes for formulas and for
the assembling of ranges) holds the circular groups as strongly connected components. The model is
compiled with every circular cell as an input, which cuts each loop; what feeds a group from outside
(the frontier) is computed by that function. Each group, in the order the components come, is then
iterated by calling its own nodes' functions: pass after pass, its formula cells in Excel's order
(sheet, row, column), each reading the values the cells before it got in the same pass, until no
value moves by the maximum change (iteration.settled) or the passes run out. A last call of the
compiled function gives every other cell from the circular cells' final values.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .formulas_args import formulas_value
from .iteration import Iteration, settled, start


class CircularGroups:
    """The circular groups of one compiled model and how to iterate them.

    `groups` are the model's strongly connected components holding formula cells, each a set of
    node ids (data and function nodes), in dependency order; `position(node)` orders a formula
    cell as Excel's passes reach it; `inputs` the model's constant cells. `frontier` lists the
    data nodes outside the groups that a group reads: the compiled function gives those."""

    def __init__(self, dsp, groups: list[set], formula_nodes: set[str], inputs: Iterable[str],
                 position: Callable[[str], tuple], iteration: Iteration):
        self.dsp, self.iteration = dsp, iteration
        self.groups = [sorted((n for n in g if n in formula_nodes), key=position) for g in groups]
        self.members = groups
        self.cells = [cell for group in self.groups for cell in group]
        constants = set(inputs)
        pred = dsp.dmap.pred
        frontier: set[str] = set()
        for group in groups:
            for node in group:
                frontier.update(p for p in pred.get(node, ()) if p not in group)
        # a constant is handed in; a value the model holds by default is read from the graph
        self.frontier = sorted(n for n in frontier if n in dsp.data_nodes and n not in constants
                               and n not in dsp.default_values and n not in self.cells)

    def solve(self, compute: Callable[[list], list], constants: dict[str, Any], first: dict[str, Any],
              plain: Callable[[Any], Any]) -> list:
        """The compiled function's outputs after the iteration. `compute(circular values)` calls
        the function compiled with the constants' values and these (in self.cells' order) as
        inputs, giving the model's outputs followed by self.frontier's values; `first` holds the
        values the file keeps for the circular cells (where Excel starts), `plain` turns a node's
        value into the engine's value (to compare passes)."""
        raw = dict(constants)  # values before their nodes' filters: the constants, the loops' cells
        raw.update((cell, formulas_value(start(first.get(cell)))) for cell in self.cells)
        for group, members in zip(self.groups, self.members):
            out = compute([raw[c] for c in self.cells])
            known = dict(zip(self.frontier, out[len(out) - len(self.frontier):]))  # after filters
            self._iterate(group, members, raw, known, plain)
        out = compute([raw[c] for c in self.cells])
        return out[:len(out) - len(self.frontier)] + [raw[c] for c in self.cells]

    def _iterate(self, group: list[str], members: set, raw: dict, known: dict, plain) -> None:
        for _ in range(self.iteration.count):
            before = tuple(plain(self._value(c, raw, known, members)) for c in group)
            for cell in group:
                raw[cell] = self._computed(cell, raw, known, members)
            after = tuple(plain(self._value(c, raw, known, members)) for c in group)
            if settled(before, after, self.iteration.delta):
                break

    def _computed(self, node: str, raw: dict, known: dict, members: set):
        """A data node's value as its function in the group gives it, before the node's filters."""
        dsp = self.dsp
        for fid in dsp.dmap.pred.get(node, ()):
            if fid not in members:
                continue
            attrs = dsp.nodes[fid]
            args = [self._value(i, raw, known, members) for i in attrs["inputs"]]
            result = attrs["function"](*args)
            for f in attrs.get("filters", ()):
                result = f(result)
            outputs = attrs["outputs"]
            if len(outputs) > 1:
                result = dict(zip(outputs, result))[node]
            return result
        raise LookupError(f"no formula gives {node}")

    def _value(self, node: str, raw: dict, known: dict, members: set):
        """A data node's value as a function reading it gets it (after the node's filters)."""
        if node in raw:
            value = raw[node]
        elif node in known:
            return known[node]
        elif node in members:
            value = self._computed(node, raw, known, members)
        elif node in self.dsp.default_values:
            value = self.dsp.default_values[node]["value"]
        else:
            raise LookupError(f"no value for {node}")
        for f in self.dsp.nodes[node].get("filters", ()):
            value = f(value)
        return value

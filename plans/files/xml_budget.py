"""What reading an XML document from outside may cost, counted while expat reads it.

Expat keeps every open element on a stack and hands each element's attributes over at once,
so a document nested millions deep, or an element with a million attributes, costs memory in
proportion before any handler sees it. An :class:`XmlCounter` counts the depth, the attributes
of each element, the elements of the whole document and the bytes of a tag not yet finished
(expat holds it whole until its ``>``), and raises :class:`XmlOverBudget` naming the limit.

The limits are those of the read budgets in the settings (``READ_BUDGETS``: ``max_xml_depth``,
``max_xml_attributes``, ``max_xml_elements``, ``max_xml_tag_bytes``); README.md lists them.
"""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class XmlLimits:
    max_xml_depth: int
    max_xml_attributes: int
    max_xml_elements: int
    max_xml_tag_bytes: int

    @classmethod
    def of(cls, budget: Any) -> "XmlLimits":
        """Return the XML limits of ``budget``: a mapping of the settings or a ReadBudget."""
        values = budget if isinstance(budget, dict) else vars(budget)
        return cls(**{name: int(values[name]) for name in cls.__dataclass_fields__})


class XmlOverBudget(Exception):
    """The document passed ``limit`` (a field of XmlLimits), whose value is ``maximum``."""

    def __init__(self, limit: str, maximum: int):
        super().__init__(f"{limit} > {maximum}")
        self.limit = limit
        self.maximum = maximum


class XmlCounter:
    """Count the elements of one document, or of several read one after another (a workbook's
    parts), against ``limits``."""

    def __init__(self, limits: XmlLimits):
        self.limits = limits
        self.depth = 0
        self.elements = 0

    def watch(self, parser) -> None:
        """Count every element ``parser`` reads, before its own handlers see it.

        Call it once the parser's start and end handlers are set.
        """
        inner_start = parser.StartElementHandler or (lambda name, attributes: None)
        inner_end = parser.EndElementHandler or (lambda name: None)
        max_depth, max_attributes, max_elements = (
            self.limits.max_xml_depth, self.limits.max_xml_attributes,
            self.limits.max_xml_elements,
        )
        # Counted in local variables: this runs for every element of a sheet of a million.
        depth, elements = self.depth, self.elements

        def start(name, attributes):
            nonlocal depth, elements
            depth += 1
            elements += 1
            if depth > max_depth or elements > max_elements or len(attributes) > max_attributes:
                self.depth, self.elements = depth - 1, elements - 1
                self.opened(len(attributes))
            inner_start(name, attributes)

        def end(name):
            nonlocal depth
            depth -= 1
            if not depth:
                # The document's end: the next one read continues the count.
                self.elements = elements
            inner_end(name)

        parser.StartElementHandler = start
        parser.EndElementHandler = end

    def opened(self, attributes: int) -> None:
        """Count an element opened with ``attributes`` attributes."""
        limits = self.limits
        self.depth += 1
        self.elements += 1
        if self.depth > limits.max_xml_depth:
            raise XmlOverBudget("max_xml_depth", limits.max_xml_depth)
        if attributes > limits.max_xml_attributes:
            raise XmlOverBudget("max_xml_attributes", limits.max_xml_attributes)
        if self.elements > limits.max_xml_elements:
            raise XmlOverBudget("max_xml_elements", limits.max_xml_elements)

    def closed(self) -> None:
        """Count an element closed."""
        self.depth -= 1

    def fed(self, parser, total: int) -> None:
        """Check the tag ``parser`` holds unfinished after ``total`` bytes were given to it.

        Expat's current byte index stays at the start of what it could not parse yet: a tag
        (with all its attributes) or a comment that has not ended.
        """
        if total - max(parser.CurrentByteIndex, 0) > self.limits.max_xml_tag_bytes:
            raise XmlOverBudget("max_xml_tag_bytes", self.limits.max_xml_tag_bytes)

"""How a kind is drawn, read from its declaration: ``DomainSpec.archimate_element`` (or, for the kinds of a group that
names one, ``KindGroup.archimate_element``: one colour and shape per domain) names the ArchiMate 3.2 element,
which gives the layer colour (ArchiMate's own: business yellow, application blue, technology and physical green,
motivation violet, implementation and migration pink) and a shape per element type. No model is named: a domain
declared tomorrow with a known element is drawn in its layer's colour; one with an unknown element, or none, gets
a neutral grey box and still draws.

Also the escaping of text for the DOT language (``quote``).
"""

from __future__ import annotations

from dataclasses import dataclass

# ArchiMate layers in reading order (top of a legend first), with their colours.
LAYERS = {
    "strategy": "#f5deaa",
    "business": "#ffffb5",
    "application": "#b5ffff",
    "technology": "#c9e7b7",
    "physical": "#c9e7b7",
    "motivation": "#ccccff",
    "implementation": "#ffe0e0",
    "other": "#e6e6e6",
}
LAYER_ORDER = {layer: number for number, layer in enumerate(LAYERS)}

ELEMENTS = {
    "strategy": ("Resource", "Capability", "ValueStream", "CourseOfAction"),
    "business": ("BusinessActor", "BusinessRole", "BusinessCollaboration", "BusinessInterface", "BusinessProcess",
                 "BusinessFunction", "BusinessInteraction", "BusinessEvent", "BusinessService", "BusinessObject",
                 "Contract", "Representation", "Product"),
    "application": ("ApplicationComponent", "ApplicationCollaboration", "ApplicationInterface",
                    "ApplicationFunction", "ApplicationInteraction", "ApplicationProcess", "ApplicationEvent",
                    "ApplicationService", "DataObject"),
    "technology": ("Node", "Device", "SystemSoftware", "TechnologyCollaboration", "TechnologyInterface", "Path",
                   "CommunicationNetwork", "TechnologyFunction", "TechnologyProcess", "TechnologyInteraction",
                   "TechnologyEvent", "TechnologyService", "Artifact"),
    "physical": ("Equipment", "Facility", "DistributionNetwork", "Material"),
    "motivation": ("Stakeholder", "Driver", "Assessment", "Goal", "Outcome", "Principle", "Requirement",
                   "Constraint", "Meaning", "Value"),
    "implementation": ("WorkPackage", "Deliverable", "ImplementationEvent", "Plateau", "Gap"),
}
LAYER_OF = {element: layer for layer, elements in ELEMENTS.items() for element in elements}

# Shapes of Graphviz close to ArchiMate's notation, by element (the rest by the element's aspect below).
SHAPES = {
    "Node": "box3d",
    "Device": "Msquare",
    "SystemSoftware": "cylinder",
    "CommunicationNetwork": "hexagon",
    "Path": "hexagon",
    "DistributionNetwork": "hexagon",
    "Facility": "house",
    "Equipment": "house",
    "Material": "house",
    "Constraint": "parallelogram",
    "Requirement": "parallelogram",
    "WorkPackage": "tab",
    "Plateau": "box3d",
    "Gap": "ellipse",
    "BusinessActor": "box",
    "ApplicationComponent": "component",
}


@dataclass(frozen=True)
class Style:
    element: str  # the ArchiMate element ("" when the kind declares none)
    layer: str  # a key of LAYERS
    fill: str
    shape: str
    rounded: bool = False

    def attributes(self) -> dict:
        return {"shape": self.shape, "fillcolor": self.fill, "style": "filled,rounded" if self.rounded else "filled"}


def style_for(element: str) -> Style:
    """The drawing style of an ArchiMate element name; an unknown one is neutral."""
    element = element or ""
    layer = LAYER_OF.get(element)
    if layer is None:
        return Style(element, "other", LAYERS["other"], "box")
    if element in SHAPES:
        return Style(element, layer, LAYERS[layer], SHAPES[element])
    if element.endswith("Service") or element == "Capability":
        return Style(element, layer, LAYERS[layer], "box", rounded=True)
    if element.endswith(("Process", "Function", "Interaction", "Event", "ValueStream")):
        return Style(element, layer, LAYERS[layer], "cds")
    if element.endswith(("Object", "Artifact", "Contract", "Representation", "Deliverable", "Product")):
        return Style(element, layer, LAYERS[layer], "note")
    if element.endswith(("Component", "Collaboration", "Interface", "Role")):
        return Style(element, layer, LAYERS[layer], "component" if element.endswith("Component") else "ellipse")
    if layer == "motivation":
        return Style(element, layer, LAYERS[layer], "octagon")
    return Style(element, layer, LAYERS[layer], "box")


def kind_style(kind) -> Style:
    """The style of a graph ``Kind``, from its declaration: one colour and shape per domain, so a kind of a group that
    names the element its objects are drawn as (``KindGroup.archimate_element``: infrastruktur as technology nodes,
    keamanan as constraints) takes the group's, and any other kind its own ``DomainSpec.archimate_element``."""
    from sia.architecture.kindgroups import group_of

    spec = getattr(kind.model, "spec", None)
    group_element = getattr(group_of(kind.model), "archimate_element", "") if spec is not None else ""
    return style_for(group_element or getattr(spec, "archimate_element", "") or "")


def quote(text, tooltip: bool = False) -> str:
    """``text`` as a DOT double-quoted string. Backslashes and quotes are escaped (so no ``\\N``, ``\\G``, ``\\l``
    escape of Graphviz applies to a name), line breaks and other control characters become spaces, and ``&`` is
    written as ``&amp;`` (Graphviz reads character entities in labels: a name that holds ``&lt;`` is drawn as
    typed, not as ``<``). A ``tooltip`` is not unescaped as a label is (``\\\\N`` would still name the node there),
    so its backslashes are written as the look-alike ``∖`` (U+2216)."""
    text = "".join(" " if ord(ch) < 32 or ord(ch) == 127 else ch for ch in str(text))
    if tooltip:
        text = text.replace("\\", "\u2216")
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")
    return f'"{text}"'


def lines(*parts, tooltip: bool = False) -> str:
    """Several lines of one label (or tooltip), each escaped, joined with DOT's centred line break (``\\n``)."""
    return '"' + "\\n".join(quote(part, tooltip)[1:-1] for part in parts if part) + '"'


def shorten(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

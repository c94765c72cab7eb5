from .catalogs import Catalog, CatalogVersion
from .nodes import ReferenceNode

__all__ = ["Catalog", "CatalogVersion", "ReferenceNode"]

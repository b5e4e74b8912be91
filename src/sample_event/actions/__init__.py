"""Use cases: one public function each, from an object reference to an import outcome."""

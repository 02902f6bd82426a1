"""Files in and out: the one gate every input passes (inputs), and outputs written whole (atomic)."""

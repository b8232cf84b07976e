"""The convention's vocabulary: return codes and their messages, shared by every layer."""

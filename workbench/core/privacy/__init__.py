"""What the workbench keeps from other people: which values are secrets and where they are masked."""

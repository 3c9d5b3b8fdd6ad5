"""Rules of the workspace's local AWS services: where a function's calls go, the names CloudFormation would
give the template's resources, which run made which call, the IAM policy those calls need, the host's file."""

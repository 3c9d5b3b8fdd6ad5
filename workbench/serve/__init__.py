"""Serving a workspace's functions the way AWS reaches them: the Lambda Invoke API, the HTTP front door
(API Gateway routes and Function URLs from the template's Events) and schedules, on asyncio (aiohttp)
sharing the Qt event loop through qasync."""

module leaderdemo.dev/hack/pause

go 1.24

# LeaderDemo operator. `make help` lists the targets.
SHELL := /usr/bin/env bash
.SHELLFLAGS := -euo pipefail -c

IMG ?= leaderdemo-operator:dev
KUBECTL ?= kubectl
KIND ?= kind
KIND_CLUSTER ?= kind
MVN ?= mvn
MVN_FLAGS ?= -B -ntp
JAR := target/leaderdemo.jar
CRD := crds/leaderdemos.leaderdemo.dev-v1.yml

.DEFAULT_GOAL := help

##@ General

.PHONY: help
help: ## Show this help
	@awk 'BEGIN {FS = ":.*##"; printf "Usage: make <target> [IMG=registry/name:tag]\n"} \
	  /^[a-zA-Z0-9_-]+:.*?##/ { printf "  %-14s %s\n", $$1, $$2 } \
	  /^##@/ { printf "\n%s\n", substr($$0, 5) }' $(MAKEFILE_LIST)

##@ Try it (no cluster needed: Linux and root)

TEST_CLASSPATH := target/test-classpath.txt
TEST_JAVA = java -cp "target/test-classes:target/classes:$$(cat $(TEST_CLASSPATH))" \
	-Dleaderdemo.jar=$(JAR) -Dleaderdemo.basedir=$(CURDIR)
# whatever happens to the command (failure, Ctrl-C), the local cluster is taken down after it
CLUSTER_DOWN_AFTER = trap 'hack/cluster.sh down' EXIT INT TERM;

.PHONY: demo
demo: cluster-check kubernetes test-build ## The whole demo on a real local cluster: a node, the image, 2 operator pods, the sample
	$(CLUSTER_DOWN_AFTER) $(TEST_JAVA) dev.leaderdemo.localdemo.LocalDemo

.PHONY: demo-smoke
demo-smoke: cluster-check kubernetes test-build ## The demo without a terminal: failovers as pods, a summary, exit 0 or the reason
	$(CLUSTER_DOWN_AFTER) $(TEST_JAVA) dev.leaderdemo.localdemo.LocalDemo --smoke

.PHONY: test-build
test-build:
	$(MVN) $(MVN_FLAGS) -q package -DskipTests dependency:build-classpath \
	  -Dmdep.outputFile=$(TEST_CLASSPATH) -Dmdep.includeScope=test

##@ Development

.PHONY: build
build: ## Build target/leaderdemo.jar (fails if crds/ differs from what the Java types generate)
	$(MVN) $(MVN_FLAGS) package -DskipTests

.PHONY: crd
crd: ## Regenerate crds/ from the Java types in src/main/java/dev/leaderdemo/api
	$(MVN) $(MVN_FLAGS) process-classes -Dcrd.update=true

.PHONY: kubernetes
kubernetes: ## Build the local cluster's Kubernetes binaries from Go modules, if missing
	hack/controlplane.sh >/dev/null

.PHONY: test
test: cluster-check kubernetes lint ## The format check, unit tests, then integration tests on the real local cluster
	$(CLUSTER_DOWN_AFTER) $(MVN) $(MVN_FLAGS) verify

.PHONY: fmt
fmt: ## Format the Java sources (google-java-format through spotless) and drop unused imports
	$(MVN) $(MVN_FLAGS) -q spotless:apply

.PHONY: lint
lint: ## Fail on any Java source that make fmt would change
	$(MVN) $(MVN_FLAGS) -q spotless:check

.PHONY: bench
bench: cluster-check kubernetes test-build ## Failover, election beside client-go, status latency, scale and footprint figures (about 40 min); see BENCHMARKS.md
	$(CLUSTER_DOWN_AFTER) $(TEST_JAVA) dev.leaderdemo.bench.Benchmarks $(BENCH_ARGS)

.PHONY: run
run: build ## Run the operator on this machine against the current kubeconfig
	java -jar $(JAR) operator

##@ Local cluster (Linux, root; what make demo and make test use)

.PHONY: cluster-check
cluster-check: ## Say what this machine lacks for the local node (Linux, root, cgroup v1, overlay, bridge netfilter)
	@hack/cluster.sh check

.PHONY: cluster-up
cluster-up: kubernetes ## Start a real single-node cluster on this machine; prints its kubeconfig
	hack/cluster.sh up

.PHONY: cluster-down
cluster-down: ## Take the local cluster down: no process, mount, interface, iptables rule or cgroup stays
	hack/cluster.sh down

.PHONY: image
image: build ## Build the image IMG from the Dockerfile without a Docker engine (buildah), into target/image.tar
	hack/image.sh app $(IMG)
	hack/image.sh archive $(IMG) target/image.tar

.PHONY: cluster-load
cluster-load: image ## Build the image IMG and import it into the local cluster's node
	hack/cluster.sh load target/image.tar

##@ Deployment (against the current kubeconfig)

.PHONY: install
install: ## Install the CRD
	$(KUBECTL) apply --server-side -f $(CRD)

.PHONY: uninstall
uninstall: ## Remove the CRD, and with it every LeaderDemo and what they own
	$(KUBECTL) delete --ignore-not-found -f $(CRD)

.PHONY: deploy
deploy: install ## Install the CRD and run the operator (image IMG) in leaderdemo-system
	hack/deploy-overlay.sh $(IMG) target/deploy
	$(KUBECTL) apply -k target/deploy

.PHONY: undeploy
undeploy: ## Remove the operator (the CRD stays: see uninstall)
	$(KUBECTL) delete --ignore-not-found -k k8s

.PHONY: docker-build
docker-build: build ## Build the image IMG with Docker (the same Dockerfile as make image)
	docker build -t $(IMG) .

.PHONY: kind-load
kind-load: ## Load the image IMG into the kind cluster KIND_CLUSTER
	$(KIND) load docker-image $(IMG) --name $(KIND_CLUSTER)

.PHONY: clean
clean: ## Remove build outputs (the Kubernetes binaries in ~/.cache/leaderdemo stay)
	rm -rf target

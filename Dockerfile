# One image, two programs: the operator (default) and the demo app (args: demo).
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -ntp dependency:go-offline
COPY src src
COPY crds crds
RUN mvn -B -ntp package -DskipTests

FROM eclipse-temurin:17.0.13_11-jre
COPY --from=build /src/target/leaderdemo.jar /app/leaderdemo.jar
# numeric, so that runAsNonRoot can verify it
USER 10001:10001
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["java", "-jar", "/app/leaderdemo.jar"]
CMD ["operator"]
